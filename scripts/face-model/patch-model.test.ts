import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ColorSpace, decodeImageMetadata, encodeImageMetadata } from './metadata.js';
import {
  addImageMetadata,
  getMetadataBuffer,
  readTfliteModel,
  TFLITE_METADATA_KEY,
} from './patch-model.js';

const SOURCE = resolve(
  import.meta.dirname,
  '../../node_modules/@mediapipe/face_detection/face_detection_short_range.tflite',
);
const original = new Uint8Array(readFileSync(SOURCE));
const patched = addImageMetadata(original);

/** Bytes of every `Model.buffers[i].data` (empty when absent). */
function bufferContents(model: Uint8Array): Uint8Array[] {
  const { reader, buffers } = readTfliteModel(model);
  return buffers.map((b) => {
    const v = reader.vector(b, 0, 1);
    return model.subarray(v.start, v.start + v.length);
  });
}

describe('addImageMetadata', () => {
  it('produces a valid TFL3 model that keeps every original buffer and subgraph', () => {
    expect(new TextDecoder().decode(patched.subarray(4, 8))).toBe('TFL3');
    const before = readTfliteModel(original);
    const after = readTfliteModel(patched);
    expect(after.version).toBe(3);
    expect(after.subgraphs).toHaveLength(before.subgraphs.length);
    expect(after.buffers).toHaveLength(before.buffers.length + 1);

    const oldData = bufferContents(original);
    const newData = bufferContents(patched);
    const differing = oldData.flatMap((d, i) => (Buffer.from(d).equals(Buffer.from(newData[i]!)) ? [] : [i]));
    expect(differing).toEqual([]);
    // Subgraphs are reused verbatim, so their tensor counts must match too.
    const tensors = (m: ReturnType<typeof readTfliteModel>) => m.reader.vector(m.subgraphs[0]!, 0, 4).length;
    expect(tensors(after)).toBe(tensors(before));
  });

  it('keeps every Buffer.data at its original alignment and the new one 16-byte aligned', () => {
    const align = (model: Uint8Array) => {
      const { reader, buffers } = readTfliteModel(model);
      return buffers.map((b) => reader.vector(b, 0, 1).start % 16);
    };
    const before = align(original);
    const after = align(patched);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[after.length - 1]).toBe(0);
  });

  it('adds a TFLITE_METADATA entry decoding to RGB, mean 127.5, std 127.5', () => {
    const after = readTfliteModel(patched);
    const entry = after.metadata.find((m) => m.name === TFLITE_METADATA_KEY);
    expect(entry?.buffer).toBe(after.buffers.length - 1);

    const metadata = getMetadataBuffer(patched, TFLITE_METADATA_KEY)!;
    expect(new TextDecoder().decode(metadata.subarray(4, 8))).toBe('M001');
    const decoded = decodeImageMetadata(metadata);
    expect(decoded.minParserVersion).toBe('1.0.0');
    expect(decoded.inputs).toEqual([{ name: 'input', colorSpace: ColorSpace.RGB, mean: [127.5], std: [127.5] }]);
  });

  it('does not modify its input and is deterministic', () => {
    expect(Buffer.from(original).equals(readFileSync(SOURCE))).toBe(true);
    expect(Buffer.from(addImageMetadata(original)).equals(Buffer.from(patched))).toBe(true);
  });

  it('throws a clear error for non-TFLite input', () => {
    expect(() => addImageMetadata(new Uint8Array(0))).toThrow(/Not a TFLite model.*TFL3/);
    expect(() => addImageMetadata(new TextEncoder().encode('this is definitely not a model'))).toThrow(
      /Not a TFLite model/,
    );
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    expect(() => addImageMetadata(random)).toThrow(/Not a TFLite model/);
    // Right identifier, but the root offset points past the end.
    const truncated = original.slice(0, 64);
    truncated.set([0xff, 0xff, 0xff, 0x0f], 0);
    expect(() => addImageMetadata(truncated)).toThrow(/Malformed TFLite model/);
  });

  it('refuses to patch a model twice', () => {
    expect(() => addImageMetadata(patched)).toThrow(/already has TFLITE_METADATA/);
  });
});

describe('encodeImageMetadata / decodeImageMetadata', () => {
  it('round-trips custom values', () => {
    const bytes = encodeImageMetadata({
      modelName: 'm',
      tensorName: 'image',
      mean: [1, 2, 3],
      std: [4, 5, 6],
      colorSpace: ColorSpace.GRAYSCALE,
    });
    expect(decodeImageMetadata(bytes)).toEqual({
      modelName: 'm',
      minParserVersion: '1.0.0',
      inputs: [{ name: 'image', colorSpace: ColorSpace.GRAYSCALE, mean: [1, 2, 3], std: [4, 5, 6] }],
    });
  });

  it('rejects buffers without the M001 identifier', () => {
    expect(() => decodeImageMetadata(original)).toThrow(/M001/);
  });
});
