// Runs a module exporting fma(i64, i64, i64) -> i64 over operand triples:
//   node run-fma.js module.wasm triples.txt  ->  one result per line (16 hex digits)
// triples.txt: one "a b c" line of 16-hex-digit bit patterns each.
'use strict';
const fs = require('fs');
const [modPath, inPath] = process.argv.slice(2);
const { fma } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(modPath)), {}).exports;
const out = [];
for (const line of fs.readFileSync(inPath, 'utf8').split('\n')) {
  if (!line) continue;
  const [a, b, c] = line.split(' ').map((h) => BigInt.asIntN(64, BigInt('0x' + h)));
  out.push(BigInt.asUintN(64, fma(a, b, c)).toString(16).padStart(16, '0'));
}
process.stdout.write(out.join('\n') + '\n');
