import { existsSync } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config, FaceResult, Human } from "@vladmandic/human";
import sharp from "sharp";
import { createMeshFace, MESH_HEIGHT, MESH_WIDTH, type MeshFace, type MeshFaceData, rgbaToRgb } from "./mesh-render.js";

/**
 * A bona fide test face that can turn its head: a real photograph's face (skimage's public-domain
 * astronaut) lifted into 3D with @vladmandic/human's 468-point face mesh and rendered as a textured
 * mesh at any (yaw, pitch) by a small software rasteriser, over the same photo as background.
 *
 * Geometry. human's `face.mesh` gives x, y in frame pixels and a z in the face-mesh model's 192-px
 * crop units (truncated to integers). z is rescaled to frame pixels by the crop size (the mesh box
 * side, `face.box[2]`, over 192); z grows away from the camera (the nose tip has the smallest z).
 * Each point is unprojected with a pinhole camera (focal `FOCAL_PX`, principal point at the frame
 * centre, the mesh's mean depth at distance FOCAL_PX), rotated about a head centre placed behind the
 * face (the mesh centroid pushed back by half the face width, 234↔454), and projected again, so
 * pose (0, 0) reproduces the photo exactly. Triangles are human's `faceTriangulation`; each is
 * drawn with an affine map from its triangle in the photo (bilinear sampling) and a z-buffer,
 * back faces culled. Around the face oval, a "skirt" of triangles joins the moving oval to a fixed
 * ring 1.45x as far from the face centre, so the hair, ears and neck around the face stretch with it
 * instead of showing a seam or a second face edge; outside the ring the photo stays as it is.
 *
 * Pose convention (the verifier's `target` messages): yaw + = the subject turns to the subject's own
 * left, which in this unmirrored camera image moves the nose toward image right; pitch + = chin up
 * (the nose moves up in the image). Both relative to the photo's own pose (human reads the photo at
 * yaw 1.4°, pitch 7.3°, roll 3.1°). Measured with the server's analyser on 320x240 halved renders
 * (scripts/measure-follow.ts, yaw −20…20 × pitch −10…10): BOTH its angles move OPPOSITE to these.
 * Its yawDeg ≈ −0.59·yaw + 1.0 (it grows when the subject turns to the subject's right, as
 * server/verifier/analyzer/face-analyzer.ts says); its pitchDeg ≈ −0.76·pitch + 7.5 (human's pitch
 * grows when the chin goes down). Residual SD about 0.8° on each axis; cross-talk under 0.05.
 *
 * The renderer itself (createMeshFace and the pixel formats) lives in ./mesh-render.ts, free of Node
 * modules so a browser page can bundle it (./mesh-player-page.ts); it is re-exported here.
 */

export {
  createMeshFace,
  FACE_OVAL,
  FOCAL_PX,
  MESH_HEIGHT,
  MESH_WIDTH,
  type MeshFace,
  type MeshFaceData,
  type MeshPose,
  type RgbaFrame,
  rgbaToI420,
  rgbaToRgb,
} from "./mesh-render.js";

/** human's face-mesh model input side (its z is in these units of the face crop). */
const MESH_INPUT = 192;
const CACHE_VERSION = 1;

const ROOT = path.resolve(import.meta.dirname, "../..");
export const ASTRONAUT_PNG = path.join(process.env.SKIMAGE_DATA ?? "/usr/lib/python3/dist-packages/skimage/data", "astronaut.png");
export const MESH_CACHE = path.join(ROOT, ".cache", "fixtures", "mesh-face.json");

// ---------------------------------------------------------------------------------------------
// human, in this process (only when the mesh is not cached, and for scripts that need raw meshes)

const require = createRequire(import.meta.url);

function humanConfig(maxFaces: number): Partial<Config> {
  const humanDist = path.dirname(require.resolve("@vladmandic/human"));
  return {
    debug: false,
    backend: "wasm",
    wasmPath: path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + "/",
    modelBasePath: `file://${path.join(humanDist, "..", "models")}/`,
    cacheModels: false,
    warmup: "none",
    async: false,
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false } as Config["filter"],
    // The analyser's settings (server/verifier/analyzer/human-worker.ts), without faceres and antispoof.
    face: {
      enabled: true,
      detector: {
        modelPath: "blazeface.json", rotation: false, maxDetected: maxFaces, skipFrames: 0, skipTime: 0,
        minConfidence: 0.3, iouThreshold: 0.1, minSize: 0, return: false, square: false,
      },
      mesh: { enabled: true, modelPath: "facemesh.json", keepInvalid: false },
      iris: { enabled: false, modelPath: "iris.json", skipFrames: 0, skipTime: 0 },
      emotion: { enabled: false, minConfidence: 0.1, modelPath: "emotion.json", skipFrames: 0, skipTime: 0 },
      description: { enabled: false, modelPath: "faceres.json", skipFrames: 0, skipTime: 0, minConfidence: 0.1 },
      antispoof: { enabled: false, modelPath: "antispoof.json", skipFrames: 0, skipTime: 0 },
      liveness: { enabled: false, modelPath: "liveness.json", skipFrames: 0, skipTime: 0 },
      attention: { enabled: false, modelPath: "facemesh-attention.json" },
      gear: { enabled: false, modelPath: "gear.json", skipFrames: 0, skipTime: 0, minConfidence: 0.1 },
    } as Config["face"],
    body: { enabled: false } as Config["body"],
    hand: { enabled: false } as Config["hand"],
    object: { enabled: false } as Config["object"],
    gesture: { enabled: false },
    segmentation: { enabled: false } as Config["segmentation"],
  };
}

/** One face as human sees it: the raw 468-point mesh (x, y frame px; z raw model units), box and angles. */
export interface MeshObservation {
  score: number;
  /** [x, y, w, h] in pixels of the analysed frame. */
  box: [number, number, number, number];
  mesh: [number, number, number][];
  /** human's rotation.angle in degrees (the analyser's yawDeg/pitchDeg/rollDeg). */
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

export interface HumanMesher {
  /** Faces in a packed RGB24 frame, largest first. */
  detect(frame: { width: number; height: number; data: Uint8Array }): Promise<MeshObservation[]>;
  faceTriangulation: number[];
}

let mesher: Promise<HumanMesher> | undefined;

/**
 * @vladmandic/human (node-wasm build, models from the package's folder, no network) in this process,
 * with the analyser's detector and mesh settings, returning the raw meshes the analyser drops.
 */
export function humanMesher(): Promise<HumanMesher> {
  return (mesher ??= (async () => {
    const humanDist = path.dirname(require.resolve("@vladmandic/human"));
    const { Human: HumanClass } = require(path.join(humanDist, "human.node-wasm.js")) as typeof import("@vladmandic/human");
    const cfg = humanConfig(4);
    const human: Human = new HumanClass(cfg);
    const tf = human.tf;
    tf.io.registerLoadRouter((url: string | string[]) => {
      if (typeof url !== "string" || !url.startsWith("file://")) return null;
      const file = fileURLToPath(url);
      return {
        load: async () => {
          const json = JSON.parse(await readFile(file, "utf8"));
          return tf.io.getModelArtifactsForJSON(json, async (manifest: Array<{ paths: string[]; weights: unknown[] }>) => {
            const specs = manifest.flatMap((g) => g.weights);
            const shards = await Promise.all(manifest.flatMap((g) => g.paths).map((p) => readFile(path.join(path.dirname(file), p))));
            const buf = Buffer.concat(shards);
            return [specs, buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)];
          });
        },
      };
    });
    await human.load();
    const deg = (r: number | undefined) => (r === undefined ? NaN : (r * 180) / Math.PI);
    return {
      faceTriangulation: human.faceTriangulation,
      async detect(frame) {
        const input = tf.tensor(frame.data, [1, frame.height, frame.width, 3], "int32");
        try {
          const res = await human.detect(input, cfg);
          if (res.error) throw new Error(res.error);
          const faces = [...res.face].sort((a, b) => b.boxRaw[2] * b.boxRaw[3] - a.boxRaw[2] * a.boxRaw[3]);
          return faces.map((f: FaceResult) => ({
            score: f.score,
            box: [...f.box] as [number, number, number, number],
            mesh: f.mesh.map((p) => [p[0], p[1], p[2] ?? 0] as [number, number, number]),
            yawDeg: deg(f.rotation?.angle.yaw),
            pitchDeg: deg(f.rotation?.angle.pitch),
            rollDeg: deg(f.rotation?.angle.roll),
          }));
        } finally {
          tf.dispose(input);
        }
      },
    };
  })());
}

// ---------------------------------------------------------------------------------------------
// the photo and its mesh

/** The crop of the image shown as the 640x480 frame: the astronaut-still fixture's for that photo, else a centred 4:3 crop. */
async function frameCrop(imagePath: string): Promise<[number, number, number, number]> {
  const meta = await sharp(imagePath).metadata();
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (path.basename(imagePath) === "astronaut.png" && w === 512 && h === 512) return [49, 0, 352, 264]; // scripts/make-fixtures.sh
  const cw = Math.min(w, Math.round((h * 4) / 3));
  const ch = Math.round((cw * 3) / 4);
  return [Math.floor((w - cw) / 2), Math.floor((h - ch) / 2), cw, ch];
}

async function frameRgba(imagePath: string, crop: [number, number, number, number]): Promise<Uint8Array> {
  const [left, top, width, height] = crop;
  const buf = await sharp(imagePath)
    .extract({ left, top, width, height })
    .resize(MESH_WIDTH, MESH_HEIGHT, { kernel: "lanczos3", fit: "fill" })
    .ensureAlpha(1)
    .raw()
    .toBuffer();
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

async function computeMesh(imagePath: string, imageBytes: number, crop: [number, number, number, number], rgba: Uint8Array): Promise<MeshFaceData> {
  const h = await humanMesher();
  const [face] = await h.detect({ width: MESH_WIDTH, height: MESH_HEIGHT, data: rgbaToRgb(rgba) });
  if (!face || face.mesh.length < 468) throw new Error(`mesh-face: human found no face mesh in ${imagePath}`);
  // x, y are frame pixels; z is in the 192-px crop's units; the crop side is the mesh box's side.
  const zScale = face.box[2] / MESH_INPUT;
  return {
    version: CACHE_VERSION,
    image: imagePath,
    imageBytes,
    crop,
    mesh: face.mesh.slice(0, 468).map(([x, y, z]) => [x, y, z * zScale]),
    triangles: [...h.faceTriangulation],
    detected: { score: face.score, box: face.box, yawDeg: face.yawDeg, pitchDeg: face.pitchDeg, rollDeg: face.rollDeg },
  };
}

/**
 * Loads the mesh face of `imagePath` (default: the astronaut). The mesh comes from
 * `.cache/fixtures/mesh-face.json` (or `mesh-face-<name>.json` for another image) when it matches,
 * else from human in this process (a few seconds), and is cached for next time.
 */
export async function loadMeshFace(imagePath: string = ASTRONAUT_PNG): Promise<MeshFace> {
  const { data, background } = await loadMeshFaceData(imagePath);
  return createMeshFace(data, background);
}

/**
 * What `loadMeshFace` renders from: the mesh (cached as it says) and the 640x480 RGBA photo it lies
 * on, for a renderer elsewhere (`createMeshFace` in a browser page: test/helpers/mesh-player.ts).
 */
export async function loadMeshFaceData(imagePath: string = ASTRONAUT_PNG): Promise<{ data: MeshFaceData; background: Uint8Array }> {
  const image = path.resolve(imagePath);
  const imageBytes = (await stat(image)).size;
  const cacheFile = image === path.resolve(ASTRONAUT_PNG)
    ? MESH_CACHE
    : path.join(path.dirname(MESH_CACHE), `mesh-face-${path.basename(image).replace(/[^\w.-]/g, "_")}.json`);
  const crop = await frameCrop(image);
  const rgba = await frameRgba(image, crop);
  let data: MeshFaceData | undefined;
  if (existsSync(cacheFile)) {
    try {
      const cached = JSON.parse(await readFile(cacheFile, "utf8")) as MeshFaceData;
      if (cached.version === CACHE_VERSION && cached.image === image && cached.imageBytes === imageBytes && cached.crop.join() === crop.join()) {
        data = cached;
      }
    } catch {
      // rebuilt below
    }
  }
  if (!data) {
    data = await computeMesh(image, imageBytes, crop, rgba);
    await mkdir(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.part`;
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, cacheFile);
  }
  return { data, background: rgba };
}
