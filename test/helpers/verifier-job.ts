import { AgentDispatchClient } from "livekit-server-sdk";
import { VerifierJob } from "../../shared/verifier-job.js";
import { type LiveKitSettings, VERIFIER_AGENT_NAME } from "../../server/livekit/index.js";
import { toHttp } from "../../server/livekit/livekit-rooms.js";
import { type client, UNSERVED_AGENT_NAME } from "./app.js";

/**
 * Reads the verifier job the kit dispatched to a verification room, as a
 * verifier worker receives it. Only holders of the LiveKit API secret can do
 * this; tests use it to play the verifier's side of the report API.
 */
export async function dispatchedJob(livekit: LiveKitSettings, room: string): Promise<VerifierJob> {
  const client = new AgentDispatchClient(toHttp(livekit.url), livekit.apiKey, livekit.apiSecret);
  // Creating a room also lists an automatic dispatch with no agent name; the kit's is the named one.
  const dispatch = (await client.listDispatch(room)).find((d) => d.agentName === VERIFIER_AGENT_NAME || d.agentName === UNSERVED_AGENT_NAME);
  if (!dispatch) throw new Error(`no agent dispatch in ${room}`);
  return VerifierJob.parse(JSON.parse(dispatch.metadata));
}

/** Posts a report to the kit's verifier API the way a verifier job does. */
export function postReport(
  call: ReturnType<typeof client>["call"],
  job: VerifierJob,
  body: unknown,
  token = job.reportToken,
) {
  return call("POST", new URL(job.reportUrl).pathname, { body, headers: { authorization: `Bearer ${token}` } });
}
