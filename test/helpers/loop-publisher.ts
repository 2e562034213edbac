import { LocalVideoTrack, Room, TrackPublishOptions, TrackSource, VideoBufferType, VideoFrame, VideoSource } from "@livekit/rtc-node";
import { startFrameClock } from "./frame-clock.js";
import { loadMeshFace, MESH_HEIGHT, MESH_WIDTH } from "./mesh-face.js";

/**
 * A virtual camera's content, as an attacker plays it into the interview room: the mesh face (the
 * verified astronaut) rendered once and replayed from memory. `still`: one frame, over and over (a
 * photograph); `loop`: a 3 s clip of the head swaying ±4° played on a loop. An rtc-node participant
 * publishing one 640x480 camera track at 20 fps.
 */
export async function startLoopPublisher(options: { url: string; token: string; kind: "still" | "loop" }): Promise<{ stop(): Promise<void> }> {
  const face = await loadMeshFace();
  const FPS = 20;
  const frames =
    options.kind === "still"
      ? [face.renderI420({ yawDeg: 0, pitchDeg: 0 })]
      : Array.from({ length: 3 * FPS }, (_, i) => {
          const phase = (2 * Math.PI * i) / (3 * FPS);
          return face.renderI420({ yawDeg: 4 * Math.sin(phase), pitchDeg: 2 * Math.sin(2 * phase) });
        });
  const room = new Room();
  await room.connect(options.url, options.token, { autoSubscribe: false, dynacast: false });
  const source = new VideoSource(MESH_WIDTH, MESH_HEIGHT);
  const track = LocalVideoTrack.createVideoTrack("camera", source);
  const publication = await room.localParticipant!.publishTrack(
    track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA, simulcast: true, videoEncoding: { maxBitrate: 1_000_000n, maxFramerate: FPS } }),
  );
  let index = 0;
  const clock = startFrameClock(FPS, (timestampUs) => {
    // rtc-node's VideoFrame ignores byteOffset: each frame is its own buffer, copied so the encoder never holds ours.
    source.captureFrame(new VideoFrame(frames[index++ % frames.length]!.slice(), MESH_WIDTH, MESH_HEIGHT, VideoBufferType.I420), timestampUs);
  });
  return {
    async stop() {
      clock.stop();
      await room.localParticipant?.unpublishTrack(publication.sid!).catch(() => {});
      await track.close().catch(() => {});
      await source.close().catch(() => {});
      await room.disconnect().catch(() => {});
    },
  };
}
