import { describe, expect, it } from "vitest";
import { cameraRule } from "./camera.js";
import { buildContext } from "./context.js";
import { T0, candidateEvent, minutes } from "../../test/fixtures/signal-events.js";

const noGeo = { lookup: () => ({}) };
const run = (types: Array<"camera_refused" | "camera_granted">) =>
  cameraRule(
    buildContext({
      interviewId: "iv_1",
      events: types.map((t, i) => candidateEvent("127.0.0.1", minutes(i), t)),
      geo: noGeo,
      now: new Date(T0),
    }),
  );

describe("cameraRule", () => {
  it("flags a refusal that was never taken back as medium", () => {
    expect(run(["camera_refused"])[0]).toMatchObject({ id: "camera_refused", severity: "medium", advisoryFlag: "refuses_video" });
  });

  it("rates a refusal followed by a grant as low", () => {
    expect(run(["camera_refused", "camera_refused", "camera_granted"])[0]).toMatchObject({
      severity: "low",
      evidence: { refusals: 2, grantedLater: true },
    });
  });

  it("stays quiet when the camera was granted", () => {
    expect(run(["camera_granted"])).toEqual([]);
  });
});
