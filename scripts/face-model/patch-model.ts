/**
 * Adds TFLite metadata (input image normalization) to the legacy MediaPipe
 * face detection model so that MediaPipe Tasks' FaceDetector accepts it.
 *
 * Model field ids follow tensorflow `tensorflow/compiler/mlir/lite/schema/schema.fbs`.
 */
import { Builder } from 'flatbuffers';
import { encodeImageMetadata, FlatReader } from './metadata.js';

/** File identifier of a TFLite model flatbuffer. */
export const TFLITE_FILE_ID = 'TFL3';

/** `Model.metadata` entry name MediaPipe Tasks looks up. */
export const TFLITE_METADATA_KEY = 'TFLITE_METADATA';

const SCHEMA_VERSION = 3;
const TENSOR_TYPE_FLOAT32 = 0;

const ModelF = {
  version: 0,
  operator_codes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadata_buffer: 5,
  metadata: 6,
  signature_defs: 7,
} as const;
const MODEL_FIELD_COUNT = 8;
const SubGraphF = { tensors: 0, inputs: 1 } as const;
const TensorF = { type: 1, name: 3 } as const;
const BufferF = { data: 0, offset: 1 } as const;
const MetadataF = { name: 0, buffer: 1 } as const;

/** Options for {@link addImageMetadata}. */
export interface ImageMetadataOptions {
  /** `ModelMetadata.name`. */
  modelName?: string;
  /** Normalization mean; the default maps [0, 255] to [-1, 1]. */
  mean?: number[];
  /** Normalization std; the default maps [0, 255] to [-1, 1]. */
  std?: number[];
}

/** Positions of the parts of a TFLite model we need (all absolute offsets). */
export interface TfliteModelLayout {
  reader: FlatReader;
  root: number;
  version: number;
  /** Position of each `Buffer` table in `Model.buffers`. */
  buffers: number[];
  /** Position of each `SubGraph` table in `Model.subgraphs`. */
  subgraphs: number[];
  /** `Model.metadata` entries. */
  metadata: { table: number; name: string | null; buffer: number }[];
}

/**
 * Parses and bounds-checks the top level of a TFLite model flatbuffer.
 * Throws a descriptive error if `model` is not a TFLite (`TFL3`) model.
 */
export function readTfliteModel(model: Uint8Array): TfliteModelLayout {
  const reader = new FlatReader(model, 'TFLite model');
  reader.expectIdentifier(TFLITE_FILE_ID);
  const root = reader.root();
  const version = reader.uint32(root, ModelF.version);
  if (version !== SCHEMA_VERSION) {
    throw new Error(`Unsupported TFLite schema version ${version} (expected ${SCHEMA_VERSION})`);
  }
  return {
    reader,
    root,
    version,
    buffers: reader.tables(root, ModelF.buffers),
    subgraphs: reader.tables(root, ModelF.subgraphs),
    metadata: reader.tables(root, ModelF.metadata).map((table) => ({
      table,
      name: reader.string(table, MetadataF.name),
      buffer: reader.uint32(table, MetadataF.buffer),
    })),
  };
}

/**
 * Returns the bytes of the `Model.buffers` entry referenced by the metadata
 * entry `name` (e.g. {@link TFLITE_METADATA_KEY}), or null if there is none.
 */
export function getMetadataBuffer(model: Uint8Array, name: string): Uint8Array | null {
  const layout = readTfliteModel(model);
  const entry = layout.metadata.find((m) => m.name === name);
  if (!entry) return null;
  const buffer = layout.buffers[entry.buffer];
  if (buffer === undefined) throw new Error(`Metadata "${name}" points at missing buffer ${entry.buffer}`);
  const data = layout.reader.vector(buffer, BufferF.data, 1);
  return model.subarray(data.start, data.start + data.length);
}

/**
 * Returns a copy of a float32-input TFLite model with a `TFLITE_METADATA`
 * entry describing its single input as an RGB image normalized with
 * `(x - mean) / std` (default 127.5 / 127.5, i.e. [-1, 1]).
 *
 * The original bytes are kept verbatim; a new root `Model` table is written in
 * front of them that reuses the original operator codes, subgraphs, buffers and
 * metadata, and adds one buffer holding the `M001` metadata flatbuffer.
 *
 * @throws if `model` is not a TFLite model, already has `TFLITE_METADATA`,
 *   does not have exactly one float32 input, or uses external buffer offsets.
 */
export function addImageMetadata(model: Uint8Array, options: ImageMetadataOptions = {}): Uint8Array {
  const layout = readTfliteModel(model);
  const { reader: r, root } = layout;

  // Fields unknown to this code would be silently dropped by the new root.
  for (let id = MODEL_FIELD_COUNT; id < r.slotCount(root); id++) {
    if (r.field(root, id) !== 0) throw new Error(`TFLite Model has unknown field ${id}; refusing to patch`);
  }
  if (layout.metadata.some((m) => m.name === TFLITE_METADATA_KEY)) {
    throw new Error(`Model already has ${TFLITE_METADATA_KEY} metadata`);
  }
  // Buffers stored by file offset (>2 GB models) would break when the bytes move.
  for (const buffer of layout.buffers) {
    const at = r.field(buffer, BufferF.offset);
    if (at !== 0 && r.bb.readUint64(at) > 1n) throw new Error('Models with offset-based buffers are not supported');
  }
  const tensorName = singleFloatInputName(layout);

  const metadata = encodeImageMetadata({
    modelName: options.modelName ?? 'face_detection_short_range',
    description: 'MediaPipe BlazeFace short-range face detector with MediaPipe Tasks metadata.',
    tensorName,
    mean: options.mean ?? [127.5],
    std: options.std ?? [127.5],
  });

  const b = new Builder(model.length + metadata.length + 1024);
  // The builder writes back to front, so the original model ends up last.
  // prep(16) keeps its start 16-byte aligned in the final buffer, which
  // preserves the alignment of its Buffer.data (force_align: 16) vectors.
  b.prep(16, model.length);
  const base = b.createByteVector(model) - 4;
  const old = (pos: number): number => base - pos;
  const oldRef = (id: number): number => {
    const target = r.ref(root, id);
    return target === 0 ? 0 : old(target);
  };

  b.prep(16, metadata.length);
  const metadataData = b.createByteVector(metadata);
  b.startObject(1);
  b.addFieldOffset(BufferF.data, metadataData, 0);
  const metadataBuffer = b.endObject();

  const key = b.createString(TFLITE_METADATA_KEY);
  b.startObject(2);
  b.addFieldOffset(MetadataF.name, key, 0);
  b.addFieldInt32(MetadataF.buffer, layout.buffers.length, null);
  const metadataEntry = b.endObject();

  const offsets = (list: number[]): number => {
    b.startVector(4, list.length, 4);
    for (const o of [...list].reverse()) b.addOffset(o);
    return b.endVector();
  };
  const buffers = offsets([...layout.buffers.map(old), metadataBuffer]);
  const entries = offsets([...layout.metadata.map((m) => old(m.table)), metadataEntry]);

  b.startObject(MODEL_FIELD_COUNT);
  b.addFieldInt32(ModelF.version, layout.version, null);
  b.addFieldOffset(ModelF.operator_codes, oldRef(ModelF.operator_codes), 0);
  b.addFieldOffset(ModelF.subgraphs, oldRef(ModelF.subgraphs), 0);
  b.addFieldOffset(ModelF.description, oldRef(ModelF.description), 0);
  b.addFieldOffset(ModelF.buffers, buffers, 0);
  b.addFieldOffset(ModelF.metadata_buffer, oldRef(ModelF.metadata_buffer), 0);
  b.addFieldOffset(ModelF.metadata, entries, 0);
  b.addFieldOffset(ModelF.signature_defs, oldRef(ModelF.signature_defs), 0);
  b.finish(b.endObject(), TFLITE_FILE_ID);
  return b.asUint8Array().slice();
}

/** Name of the main subgraph's only input tensor; throws unless it is float32. */
function singleFloatInputName({ reader: r, subgraphs }: TfliteModelLayout): string {
  const main = subgraphs[0];
  if (main === undefined) throw new Error('TFLite model has no subgraphs');
  const inputs = r.vector(main, SubGraphF.inputs, 4);
  if (inputs.length !== 1) throw new Error(`Expected exactly 1 model input, found ${inputs.length}`);
  const tensors = r.tables(main, SubGraphF.tensors);
  const tensor = tensors[r.bb.readInt32(inputs.start)];
  if (tensor === undefined) throw new Error('Model input refers to a missing tensor');
  const type = r.uint8(tensor, TensorF.type);
  if (type !== TENSOR_TYPE_FLOAT32) throw new Error(`Expected a float32 input tensor, got TensorType ${type}`);
  return r.string(tensor, TensorF.name) ?? 'input';
}
