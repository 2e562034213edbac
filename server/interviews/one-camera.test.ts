import { describe, expect, it } from "vitest";
import { splitCamera } from "./one-camera.js";

const t = (sid: string, kind: string, source: string) => ({ sid, kind, source, width: 640, height: 480 });

describe("splitCamera", () => {
  it("keeps one camera and calls every other video track a decoy, whatever source it declares", () => {
    const cam = t("TR_cam", "VIDEO", "CAMERA");
    const mic = t("TR_mic", "AUDIO", "MICROPHONE");
    const fakeMic = t("TR_fake", "VIDEO", "MICROPHONE");
    const second = t("TR_cam2", "VIDEO", "CAMERA");
    expect(splitCamera([cam, mic])).toEqual({ camera: cam, decoys: [] });
    expect(splitCamera([fakeMic, cam, mic])).toEqual({ camera: cam, decoys: [fakeMic] });
    // The SFU's list has no order: the camera the kit knows came first wins.
    expect(splitCamera([second, cam], "TR_cam")).toEqual({ camera: cam, decoys: [second] });
    expect(splitCamera([second, cam], "TR_gone")).toEqual({ camera: second, decoys: [cam] });
    // Video under another source only: no camera, all decoys.
    expect(splitCamera([fakeMic])).toEqual({ camera: undefined, decoys: [fakeMic] });
  });
});
