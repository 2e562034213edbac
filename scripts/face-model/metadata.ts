/**
 * TFLite metadata (`metadata_schema.fbs`, file identifier `M001`) encoding and
 * decoding, plus a bounds-checked flatbuffer table reader shared with
 * `patch-model.ts`.
 *
 * Field ids follow tensorflow/tflite-support
 * `tensorflow_lite_support/metadata/metadata_schema.fbs` (schema 1.1.0).
 */
import { Builder, ByteBuffer } from 'flatbuffers';

/** File identifier of a `ModelMetadata` flatbuffer. */
export const METADATA_FILE_ID = 'M001';

/** `ColorSpaceType` enum values. */
export const ColorSpace = { UNKNOWN: 0, RGB: 1, GRAYSCALE: 2 } as const;

const CONTENT_PROPERTIES_IMAGE = 2; // union ContentProperties { Feature=1, Image=2, BoundingBox=3 }
const PROCESS_UNIT_NORMALIZATION = 1; // union ProcessUnitOptions { NormalizationOptions=1, ... }

/** Field ids (declaration order) of the metadata tables we write and read. */
const F = {
  ModelMetadata: { name: 0, description: 1, version: 2, subgraph_metadata: 3, min_parser_version: 7 },
  SubGraphMetadata: { name: 0, input_tensor_metadata: 2 },
  // content is a table; process_units a vector of tables.
  TensorMetadata: { name: 0, description: 1, content: 3, process_units: 4 },
  // A union occupies two slots: the type tag, then the value offset.
  Content: { content_properties_type: 0, content_properties: 1 },
  ImageProperties: { color_space: 0 },
  ProcessUnit: { options_type: 0, options: 1 },
  NormalizationOptions: { mean: 0, std: 1 },
} as const;

/** What {@link encodeImageMetadata} writes for a single image input tensor. */
export interface ImageInputMetadata {
  /** `ModelMetadata.name`. */
  modelName: string;
  /** `ModelMetadata.description`. */
  description?: string;
  /** `ModelMetadata.version`. */
  version?: string;
  /** Name of the input tensor (should match the TFLite tensor name). */
  tensorName: string;
  /** Per-channel (or single, broadcast) normalization mean. */
  mean: number[];
  /** Per-channel (or single, broadcast) normalization std. */
  std: number[];
  /** `ColorSpaceType` value; defaults to RGB. */
  colorSpace?: number;
  /** `ModelMetadata.min_parser_version`; defaults to "1.0.0". */
  minParserVersion?: string;
}

/** Result of {@link decodeImageMetadata}. */
export interface DecodedImageMetadata {
  modelName: string | null;
  minParserVersion: string | null;
  inputs: { name: string | null; colorSpace: number | null; mean: number[]; std: number[] }[];
}

/**
 * Encodes a `ModelMetadata` flatbuffer (identifier `M001`) with one subgraph
 * whose single input tensor is an image with a NormalizationOptions process
 * unit, which is what MediaPipe Tasks needs to preprocess float32 inputs.
 */
export function encodeImageMetadata(meta: ImageInputMetadata): Uint8Array {
  const b = new Builder(512);
  const floats = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (const v of [...values].reverse()) b.addFloat32(v);
    return b.endVector();
  };
  const tables = (offsets: number[]): number => {
    b.startVector(4, offsets.length, 4);
    for (const o of [...offsets].reverse()) b.addOffset(o);
    return b.endVector();
  };

  b.startObject(2);
  b.addFieldInt8(F.ImageProperties.color_space, meta.colorSpace ?? ColorSpace.RGB, ColorSpace.UNKNOWN);
  const imageProps = b.endObject();

  b.startObject(3);
  b.addFieldInt8(F.Content.content_properties_type, CONTENT_PROPERTIES_IMAGE, 0);
  b.addFieldOffset(F.Content.content_properties, imageProps, 0);
  const content = b.endObject();

  const mean = floats(meta.mean);
  const std = floats(meta.std);
  b.startObject(2);
  b.addFieldOffset(F.NormalizationOptions.mean, mean, 0);
  b.addFieldOffset(F.NormalizationOptions.std, std, 0);
  const normalization = b.endObject();

  b.startObject(2);
  b.addFieldInt8(F.ProcessUnit.options_type, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(F.ProcessUnit.options, normalization, 0);
  const processUnits = tables([b.endObject()]);

  const tensorName = b.createString(meta.tensorName);
  const tensorDescription = b.createString('Input image to be processed.');
  b.startObject(5);
  b.addFieldOffset(F.TensorMetadata.name, tensorName, 0);
  b.addFieldOffset(F.TensorMetadata.description, tensorDescription, 0);
  b.addFieldOffset(F.TensorMetadata.content, content, 0);
  b.addFieldOffset(F.TensorMetadata.process_units, processUnits, 0);
  const inputs = tables([b.endObject()]);

  b.startObject(3);
  b.addFieldOffset(F.SubGraphMetadata.input_tensor_metadata, inputs, 0);
  const subgraphs = tables([b.endObject()]);

  const name = b.createString(meta.modelName);
  const description = meta.description ? b.createString(meta.description) : 0;
  const version = meta.version ? b.createString(meta.version) : 0;
  const minParser = b.createString(meta.minParserVersion ?? '1.0.0');
  b.startObject(8);
  b.addFieldOffset(F.ModelMetadata.name, name, 0);
  b.addFieldOffset(F.ModelMetadata.description, description, 0);
  b.addFieldOffset(F.ModelMetadata.version, version, 0);
  b.addFieldOffset(F.ModelMetadata.subgraph_metadata, subgraphs, 0);
  b.addFieldOffset(F.ModelMetadata.min_parser_version, minParser, 0);
  b.finish(b.endObject(), METADATA_FILE_ID);
  return b.asUint8Array().slice();
}

/**
 * Decodes the parts of a `ModelMetadata` flatbuffer that
 * {@link encodeImageMetadata} writes. Throws on a missing `M001` identifier or
 * out-of-bounds offsets.
 */
export function decodeImageMetadata(bytes: Uint8Array): DecodedImageMetadata {
  const r = new FlatReader(bytes, 'TFLite ModelMetadata');
  r.expectIdentifier(METADATA_FILE_ID);
  const root = r.root();
  const M = F.ModelMetadata;
  const subgraphs = r.tables(root, M.subgraph_metadata);
  const main = subgraphs[0];
  const inputs = main === undefined ? [] : r.tables(main, F.SubGraphMetadata.input_tensor_metadata);
  return {
    modelName: r.string(root, M.name),
    minParserVersion: r.string(root, M.min_parser_version),
    inputs: inputs.map((t) => {
      const content = r.table(t, F.TensorMetadata.content);
      const isImage = content !== 0 && r.uint8(content, F.Content.content_properties_type) === CONTENT_PROPERTIES_IMAGE;
      const image = isImage ? r.table(content, F.Content.content_properties) : 0;
      const norm = r
        .tables(t, F.TensorMetadata.process_units)
        .filter((pu) => r.uint8(pu, F.ProcessUnit.options_type) === PROCESS_UNIT_NORMALIZATION)
        .map((pu) => r.table(pu, F.ProcessUnit.options))[0];
      return {
        name: r.string(t, F.TensorMetadata.name),
        colorSpace: image ? r.uint8(image, F.ImageProperties.color_space) : null,
        mean: norm ? r.floats(norm, F.NormalizationOptions.mean) : [],
        std: norm ? r.floats(norm, F.NormalizationOptions.std) : [],
      };
    }),
  };
}

/**
 * Minimal bounds-checked reader over a flatbuffer: `flatbuffers.ByteBuffer`
 * silently returns 0/NaN past the end, so every offset is validated here to
 * turn malformed input into a clear error instead of nonsense.
 */
export class FlatReader {
  readonly bb: ByteBuffer;
  readonly size: number;

  /** @param what Human-readable name of the buffer kind, used in errors. */
  constructor(bytes: Uint8Array, readonly what: string) {
    this.bb = new ByteBuffer(bytes);
    this.size = bytes.length;
  }

  /** Throws unless the 4-byte file identifier at offset 4 equals `id`. */
  expectIdentifier(id: string): void {
    if (this.size < 8 || !this.bb.__has_identifier(id)) {
      throw new Error(`Not a ${this.what}: missing "${id}" file identifier`);
    }
  }

  /** Position of the root table. */
  root(): number {
    this.check(0, 4);
    return this.checkTable(this.bb.readUint32(0));
  }

  /** Number of vtable slots present for the table at `pos`. */
  slotCount(pos: number): number {
    return (this.bb.readUint16(pos - this.bb.readInt32(pos)) - 4) >> 1;
  }

  /** Absolute position of field `id` of the table at `pos`, or 0 if absent. */
  field(pos: number, id: number): number {
    const rel = this.bb.__offset(pos, 4 + 2 * id);
    if (rel === 0) return 0;
    this.check(pos + rel, 1);
    return pos + rel;
  }

  /** Target position of the offset-typed field `id`, or 0 if absent. */
  ref(pos: number, id: number): number {
    const at = this.field(pos, id);
    return at === 0 ? 0 : this.indirect(at);
  }

  /** Follows the uoffset stored at `at`. */
  indirect(at: number): number {
    this.check(at, 4);
    const target = at + this.bb.readUint32(at);
    this.check(target, 4);
    return target;
  }

  /** Sub-table in field `id`, or 0 if absent. */
  table(pos: number, id: number): number {
    const t = this.ref(pos, id);
    return t === 0 ? 0 : this.checkTable(t);
  }

  /** Positions of the tables in the vector-of-tables field `id` (empty if absent). */
  tables(pos: number, id: number): number[] {
    const v = this.vector(pos, id, 4);
    return Array.from({ length: v.length }, (_, i) => this.checkTable(this.indirect(v.start + 4 * i)));
  }

  /** Vector in field `id`: `at` is the length prefix, `start` the first element. */
  vector(pos: number, id: number, elemSize: number): { at: number; start: number; length: number } {
    const at = this.ref(pos, id);
    if (at === 0) return { at: 0, start: 0, length: 0 };
    const length = this.bb.readUint32(at);
    this.check(at + 4, length * elemSize);
    return { at, start: at + 4, length };
  }

  /** UTF-8 string field `id`, or null if absent. */
  string(pos: number, id: number): string | null {
    const v = this.vector(pos, id, 1);
    return v.at === 0 ? null : new TextDecoder().decode(this.bb.bytes().subarray(v.start, v.start + v.length));
  }

  /** float32 vector field `id` (empty if absent). */
  floats(pos: number, id: number): number[] {
    const v = this.vector(pos, id, 4);
    return Array.from({ length: v.length }, (_, i) => this.bb.readFloat32(v.start + 4 * i));
  }

  /** uint8 scalar field (enum / union tag), default 0. */
  uint8(pos: number, id: number): number {
    const at = this.field(pos, id);
    return at === 0 ? 0 : this.bb.readUint8(at);
  }

  /** uint32 scalar field, default `def`. */
  uint32(pos: number, id: number, def = 0): number {
    const at = this.field(pos, id);
    if (at === 0) return def;
    this.check(at, 4);
    return this.bb.readUint32(at);
  }

  /** Validates the table at `pos` and its vtable; returns `pos`. */
  checkTable(pos: number): number {
    this.check(pos, 4);
    const vt = pos - this.bb.readInt32(pos);
    this.check(vt, 4);
    const vtSize = this.bb.readUint16(vt);
    if (vtSize < 4 || vtSize % 2 !== 0) this.fail(`bad vtable at ${vt}`);
    this.check(vt, vtSize);
    this.check(pos, this.bb.readUint16(vt + 2));
    return pos;
  }

  private check(pos: number, len: number): void {
    if (!Number.isInteger(pos) || pos < 0 || len < 0 || pos + len > this.size) {
      this.fail(`offset ${pos}+${len} outside the ${this.size}-byte buffer`);
    }
  }

  private fail(msg: string): never {
    throw new Error(`Malformed ${this.what}: ${msg}`);
  }
}
