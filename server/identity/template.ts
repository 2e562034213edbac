/**
 * Face templates: unit-length 1024-value embeddings from human's faceres model, the mean of a few
 * frames, and their byte form for a database BLOB. Pure functions, no I/O.
 */

/** Values in one faceres embedding, and so in one template. */
export const TEMPLATE_LENGTH = 1024;
/** Bytes of an encoded template: little-endian float32 values. */
export const TEMPLATE_BYTES = TEMPLATE_LENGTH * 4;

/** Why a vector, a set of embeddings or a stored blob was refused. */
export type TemplateErrorCode = 'wrong_length' | 'not_finite' | 'zero_vector' | 'no_embeddings' | 'bad_bytes';

/** Thrown for vectors and blobs that cannot be (or are not) templates. */
export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A template built from several frames of one face. */
export interface FaceTemplate {
  /** Unit-length mean of the frames' unit embeddings. */
  vector: Float32Array;
  /** Embeddings that went into it. */
  frames: number;
  /** Smallest cosine between one input embedding and the template: how alike the frames were (1 = identical). */
  consistency: number;
  /**
   * Smallest cosine between two of the input embeddings (1 for a single one): whether every frame
   * would pass for the same person as every other. Frames of two people score as low here as the
   * two people do, while the mean can still sit close to both (see `consistency`).
   */
  agreement: number;
}

function checkLength(v: ArrayLike<number>, what: string): void {
  if (v.length !== TEMPLATE_LENGTH) {
    throw new TemplateError('wrong_length', `${what} has ${v.length} values, expected ${TEMPLATE_LENGTH}`);
  }
}

/** Euclidean norm, summed in double precision; throws on NaN/Infinity or an all-zero vector. */
function norm(v: ArrayLike<number>, what: string): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    sum += x * x;
  }
  // One NaN or Infinity anywhere makes the sum non-finite, so this checks every value at once.
  if (!Number.isFinite(sum)) throw new TemplateError('not_finite', `${what} holds NaN or Infinity`);
  if (sum === 0) throw new TemplateError('zero_vector', `${what} is all zeros`);
  return Math.sqrt(sum);
}

/**
 * Scales a {@link TEMPLATE_LENGTH}-value vector to unit (L2) length.
 * @throws {TemplateError} `wrong_length`, `not_finite` (NaN/Infinity), `zero_vector`.
 */
export function normalize(v: ArrayLike<number>): Float32Array {
  checkLength(v, 'vector');
  const n = norm(v, 'vector');
  const out = new Float32Array(TEMPLATE_LENGTH);
  for (let i = 0; i < TEMPLATE_LENGTH; i++) out[i] = v[i]! / n;
  return out;
}

/**
 * Cosine similarity of two {@link TEMPLATE_LENGTH}-value vectors, -1..1, whatever their lengths.
 * For vectors already unit length the plain dot product gives the same figure faster.
 * @throws {TemplateError} as {@link normalize}.
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLength(a, 'first vector');
  checkLength(b, 'second vector');
  const na = norm(a, 'first vector');
  const nb = norm(b, 'second vector');
  let dot = 0;
  for (let i = 0; i < TEMPLATE_LENGTH; i++) dot += a[i]! * b[i]!;
  // Rounding can push |dot| a hair past 1 for identical vectors.
  return Math.max(-1, Math.min(1, dot / (na * nb)));
}

/**
 * Builds a template from one or more embeddings of the same face: each is normalised (so no frame
 * weighs more for being "longer"), the mean is taken and normalised again.
 * @throws {TemplateError} `no_embeddings` for an empty list, otherwise as {@link normalize}.
 */
export function buildTemplate(embeddings: ReadonlyArray<ArrayLike<number>>): FaceTemplate {
  if (embeddings.length < 1) throw new TemplateError('no_embeddings', 'a template needs at least one embedding');
  const units = embeddings.map((e, i) => {
    try {
      return normalize(e);
    } catch (err) {
      if (err instanceof TemplateError) throw new TemplateError(err.code, `embedding ${i}: ${err.message}`);
      throw err;
    }
  });
  const sum = new Float64Array(TEMPLATE_LENGTH);
  for (const u of units) for (let i = 0; i < TEMPLATE_LENGTH; i++) sum[i]! += u[i]!;
  // Opposite embeddings can cancel out; normalize() then refuses the zero mean.
  const vector = normalize(sum);
  let consistency = 1;
  for (const u of units) consistency = Math.min(consistency, cosine(u, vector));
  let agreement = 1;
  for (let i = 0; i < units.length; i++) for (let j = i + 1; j < units.length; j++) agreement = Math.min(agreement, cosine(units[i]!, units[j]!));
  return { vector, frames: units.length, consistency, agreement };
}

/**
 * Encodes a template as {@link TEMPLATE_BYTES} bytes of little-endian float32, whatever the host's
 * byte order, for a SQLite or Postgres BLOB.
 * @throws {TemplateError} `wrong_length`, `not_finite`.
 */
export function encodeTemplate(vector: Float32Array): Buffer {
  checkLength(vector, 'template');
  const out = Buffer.alloc(TEMPLATE_BYTES);
  for (let i = 0; i < TEMPLATE_LENGTH; i++) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) throw new TemplateError('not_finite', `template value ${i} is ${x}`);
    out.writeFloatLE(x, i * 4);
  }
  return out;
}

/**
 * Decodes {@link encodeTemplate}'s bytes. Refuses a blob of the wrong size, NaN/Infinity, and a
 * vector that is not unit length (more than 1e-3 off), since searches take dot products as cosines.
 * @throws {TemplateError} `bad_bytes`, `not_finite`.
 */
export function decodeTemplate(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength !== TEMPLATE_BYTES) {
    throw new TemplateError('bad_bytes', `template blob is ${bytes.byteLength} bytes, expected ${TEMPLATE_BYTES}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(TEMPLATE_LENGTH);
  let sum = 0;
  for (let i = 0; i < TEMPLATE_LENGTH; i++) {
    const x = view.getFloat32(i * 4, true);
    if (!Number.isFinite(x)) throw new TemplateError('not_finite', `template value ${i} is ${x}`);
    out[i] = x;
    sum += x * x;
  }
  if (Math.abs(Math.sqrt(sum) - 1) > 1e-3) {
    throw new TemplateError('bad_bytes', `template blob is not unit length (norm ${Math.sqrt(sum).toFixed(4)})`);
  }
  return out;
}
