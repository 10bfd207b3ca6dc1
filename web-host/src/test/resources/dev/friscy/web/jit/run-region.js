// Runs one generated region module under Node's WebAssembly, with guest memory in a JS array:
//   node run-region.js module.wasm state.json  ->  JSON {x, pc, left, exit, mem}
// state: {hart, links, x: [32 decimal strings], f: [32 decimal strings], fpok, pc, left, block, memBase,
//         mem: base64}; the fp helper must not be needed (FP fast paths only)
'use strict';
const fs = require('fs');
const [modPath, statePath] = process.argv.slice(2);
const st = JSON.parse(fs.readFileSync(statePath, 'utf8'));
const memory = new WebAssembly.Memory({ initial: 4 });
const table = new WebAssembly.Table({ element: 'anyfunc', initial: 4 });
const dv = new DataView(memory.buffer);
const guest = Buffer.from(st.mem, 'base64');
const memBase = BigInt(st.memBase);
const STATUS = st.hart + 272;
const SIZES = [1, 2, 4, 8, 1, 2, 4];

function inRange(a, size) {
  const off = a - memBase;
  return off >= 0n && off + BigInt(size) <= BigInt(guest.length) ? Number(off) : -1;
}
const helpers = {
  ld(a, kind) {
    const size = SIZES[kind];
    const off = inRange(a, size);
    if (off < 0) {
      dv.setInt32(STATUS, 1, true);
      return 0n;
    }
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(guest[off + i]);
    dv.setInt32(STATUS, 0, true);
    return kind < 4 ? BigInt.asIntN(size * 8, v) : v;
  },
  st(a, v, size) {
    const off = inRange(a, size);
    if (off < 0) return 1;
    for (let i = 0; i < size; i++) guest[off + i] = Number((v >> BigInt(8 * i)) & 0xffn);
    return 0;
  },
  call() { throw new Error('call not expected'); },
  alu() { throw new Error('alu not expected'); },
  fp() { throw new Error('fp not expected'); },
  fl() { throw new Error('fl not expected: the f registers are in the hart block'); },
};
const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(modPath)), {
  env: { memory }, t: { tbl: table }, h: helpers,
});
for (let i = 0; i < 32; i++) dv.setBigInt64(st.hart + 8 * i, BigInt(st.x[i]), true);
for (let i = 0; i < 32; i++) dv.setBigInt64(st.hart + 288 + 8 * i, BigInt(st.f ? st.f[i] : 0), true);
dv.setInt32(st.hart + 280, st.fpok || 0, true);
dv.setInt32(st.hart + 544, 1, true); // FLOADED
dv.setBigInt64(st.hart + 256, BigInt(st.pc), true);
dv.setBigInt64(st.hart + 264, BigInt(st.left), true);
const exit = inst.exports.f0(st.block);
const x = [];
for (let i = 0; i < 32; i++) x.push(dv.getBigInt64(st.hart + 8 * i, true).toString());
const f = [];
for (let i = 0; i < 32; i++) f.push(dv.getBigInt64(st.hart + 288 + 8 * i, true).toString());
process.stdout.write(JSON.stringify({
  x, f, exit,
  pc: dv.getBigInt64(st.hart + 256, true).toString(),
  left: dv.getBigInt64(st.hart + 264, true).toString(),
  mem: guest.toString('base64'),
}));
