// `node --import bench/templar-wrap.mjs <lvsplay's unbundled entry> ...` (bench/templar-time.sh): the
// wall time the main thread spends inside the templar (every public method of src/vars/templar.ts's
// Templar, outermost calls only: nested renders are counted once), printed at exit on stderr as
// `[templar] N ms in M calls`. It works on any build that has dist/src/vars/templar.js (the nunjucks
// build of fe4310b too), so the template layer of two builds is compared with the rest left out.
const root = process.env.TEMPLAR_WRAP_ROOT;
const { Templar } = await import(`${root}/dist/src/vars/templar.js`);
let depth = 0;
let total = 0;
let calls = 0;
for (const k of Object.getOwnPropertyNames(Templar.prototype)) {
  const d = Object.getOwnPropertyDescriptor(Templar.prototype, k);
  if (k === 'constructor' || typeof d.value !== 'function') continue;
  const f = d.value;
  Templar.prototype[k] = function (...a) {
    if (depth++ > 0) {
      try {
        return f.apply(this, a);
      } finally {
        depth--;
      }
    }
    const t = performance.now();
    try {
      return f.apply(this, a);
    } finally {
      depth--;
      total += performance.now() - t;
      calls++;
    }
  };
}
process.on('exit', () => process.stderr.write(`[templar] ${total.toFixed(1)} ms in ${calls} calls\n`));
