import { TEMPLATE_LENGTH } from './template.js';

/**
 * The template search's dot-product kernel as a WebAssembly SIMD module, 4 float32 lanes and 4
 * accumulators. Measured (`npm run bench:templates`): 100,000 templates in ~30 ms against 131 ms for
 * the best plain JS loop; usearch's exact search (no row filter) and simsimd (one call per row) were
 * measured too and were slower on the searches the kit runs. It is a few dozen opcodes, assembled
 * here so no toolchain is needed; `template-index.test.ts` checks it against the JS loop.
 */

const ROW_BYTES = TEMPLATE_LENGTH * 4;

let compiled: WebAssembly.Module | null | undefined;

/** The SIMD kernel, compiled once; null where the runtime lacks WebAssembly SIMD. */
export function simdKernel(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = kernelBytes();
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/**
 * `dots(mat, q, rows, out)`: for each of `rows` rows of 1024 float32 at `mat`, stores its dot
 * product with the 1024 float32 at `q` as a float32 at `out`. Written out opcode by opcode
 * (WebAssembly core spec + SIMD proposal) to need no toolchain; the test compares it with the JS loop.
 */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  const [MAT, Q, ROWS, OUT, END, P, QP, ROW_END, A0] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const i32 = (n: number) => [0x41, ...sleb(n)];
  const [ADD, SHL, LT_U, GE_U, BR_IF, BLOCK, LOOP, END_] = [[0x6a], [0x74], [0x49], [0x4f], [0x0d, 0], [0x02, 0x40], [0x03, 0x40], [0x0b]];
  const F32X4_ADD = [0xfd, 0xe4, 0x01];
  const F32X4_MUL = [0xfd, 0xe6, 0x01];
  const load = (offset: number) => [0xfd, 0x00, 4, offset]; // v128.load align=16
  const lane = (l: number) => [0xfd, 0x1f, l]; // f32x4.extract_lane
  // acc_k += v128(p + 16k) * v128(qp + 16k)
  const acc = (k: number) => [...get(A0 + k), ...get(P), ...load(16 * k), ...get(QP), ...load(16 * k), ...F32X4_MUL, ...F32X4_ADD, ...set(A0 + k)];
  const code = [
    2, 4, 0x7f, 4, 0x7b, // locals: 4 i32 (END, P, QP, ROW_END), 4 v128 (A0..A3)
    ...get(OUT), ...get(ROWS), ...i32(2), ...SHL, ...ADD, ...set(END),
    ...get(MAT), ...set(P),
    ...BLOCK, ...get(OUT), ...get(END), ...GE_U, ...BR_IF,
    ...LOOP, // per row
    0xfd, 0x0c, ...new Array<number>(16).fill(0), ...tee(A0), ...tee(A0 + 1), ...tee(A0 + 2), ...set(A0 + 3),
    ...get(P), ...i32(ROW_BYTES), ...ADD, ...set(ROW_END),
    ...get(Q), ...set(QP),
    ...LOOP, // 16 floats per turn
    ...acc(0), ...acc(1), ...acc(2), ...acc(3),
    ...get(P), ...i32(64), ...ADD, ...set(P),
    ...get(QP), ...i32(64), ...ADD, ...set(QP),
    ...get(P), ...get(ROW_END), ...LT_U, ...BR_IF,
    ...END_,
    ...get(OUT),
    ...get(A0), ...get(A0 + 1), ...F32X4_ADD, ...get(A0 + 2), ...get(A0 + 3), ...F32X4_ADD, ...F32X4_ADD, ...tee(A0),
    ...lane(0), ...get(A0), ...lane(1), 0x92, ...get(A0), ...lane(2), 0x92, ...get(A0), ...lane(3), 0x92, // f32.add
    0x38, 2, 0, // f32.store
    ...get(OUT), ...i32(4), ...ADD, ...tee(OUT), ...get(END), ...LT_U, ...BR_IF,
    ...END_, ...END_, ...END_,
  ];
  const str = (s: string) => [s.length, ...new TextEncoder().encode(s)];
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0]), // type: (i32 i32 i32 i32) -> ()
    ...section(2, [1, ...str('env'), ...str('memory'), 0x02, 0, 1]), // import memory, min 1 page
    ...section(3, [1, 0]),
    ...section(7, [1, ...str('dots'), 0x00, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}
