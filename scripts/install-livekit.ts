/** Installs the pinned livekit-server into .tools/bin once; later runs return at once. */
import { installLiveKit } from "../server/livekit/index.js";

const binary = await installLiveKit(".tools");
console.log(`livekit-server: ${binary}`);
