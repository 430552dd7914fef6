import { createHmac } from 'node:crypto';
const bs = 'x'.repeat(350);
const f = async () => 1;
(async () => {
  const N = 20000; let raw = 0, asy = 0, date = 0;
  for (let r = 0; r < 20; r++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) createHmac('sha256', 'abcdefghij0123456789abcdefghij01&abcdefghij0123456789abcdefghij01').update(bs).digest('base64');
    raw += Number(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) { await f(); await f(); await f(); await (async () => { await f(); })(); }
    asy += Number(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) { new Date().getTime(); Buffer.byteLength('abcdefghij0123456789abcdefghij01'); Buffer.byteLength('abcdefghij0123456789abcdefghij01'); /^[0-9]{1,15}$/.test('1740830400'); }
    date += Number(process.hrtime.bigint() - t);
  }
  console.log('async', (asy / raw).toFixed(2), 'misc', (date / raw).toFixed(2), 'raw ns', (raw / N / 20).toFixed(0));
})();
