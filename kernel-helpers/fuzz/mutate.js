// Seeded mutations of real sample files for fuzzing the readers: shared by the bounded jest run
// (test/helpers/fuzz.test.ts) and the longer standalone run (fuzz.mjs). CommonJS, so both load it.
'use strict';

/** A small seeded PRNG (mulberry32): the same seed gives the same cases everywhere. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Bytes that matter to CSV and YAML/JSON syntax, and some that do not.
const SPECIAL = Buffer.from(',"\r\n:-{}[]%\'#&*!|>.e+ \t0123456789\u0000\xff');

/**
 * One mutated copy of `sample` (a Buffer): truncation, byte flips, inserted syntax bytes, deleted
 * or duplicated ranges, or a splice with `other`. `random` is a prng().
 */
function mutate(sample, other, random) {
  const int = n => Math.floor(random() * n);
  let b = Buffer.from(sample);
  const steps = 1 + int(4);
  for (let s = 0; s < steps; s++) {
    const at = int(b.length + 1);
    switch (int(7)) {
      case 0: // truncate
        b = b.subarray(0, at);
        break;
      case 1: {
        // flip bytes
        b = Buffer.from(b);
        for (let k = 0, n = 1 + int(8); k < n && b.length > 0; k++) b[int(b.length)] = int(256);
        break;
      }
      case 2: {
        // insert syntax bytes
        const ins = Buffer.alloc(1 + int(6));
        for (let k = 0; k < ins.length; k++) ins[k] = SPECIAL[int(SPECIAL.length)];
        b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        break;
      }
      case 3: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(64)))]);
        break;
      case 4: {
        // duplicate a range
        const end = Math.min(b.length, at + 1 + int(200));
        b = Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      }
      case 5: {
        // splice the start of one sample with the end of another
        const cut = int(other.length + 1);
        b = Buffer.concat([b.subarray(0, at), other.subarray(cut)]);
        break;
      }
      default: {
        // replace a line ending or a delimiter
        const i = b.indexOf(random() < 0.5 ? 0x0a : 0x2c, at);
        if (i >= 0) {
          b = Buffer.from(b);
          b[i] = SPECIAL[int(SPECIAL.length)];
        }
      }
    }
  }
  return b;
}

module.exports = { prng, mutate };
