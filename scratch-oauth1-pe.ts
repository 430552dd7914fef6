import { percentEncode } from './libs/oauth1/src/percent-encoding';
const old = (v: string) => /^[A-Za-z0-9\-._~]*$/.test(v) ? v : encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const inputs = ['abcdefghij0123456789abcdefghij01', 'searchCriteria[pageSize]', 'HMAC-SHA256', '1740830400', 'https://shop.example.com/rest/V1/products',
 'oauth_consumer_key=abcdefghij0123456789abcdefghij01&oauth_nonce=abcdefghij0123456789abcdefghij01&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1740830400&oauth_token=abcdefghij0123456789abcdefghij01&oauth_version=1.0&searchCriteria%5BcurrentPage%5D=1&searchCriteria%5BpageSize%5D=10'];
for (let r = 0; r < 3; r++) for (const [name, f] of [['old', old], ['new', percentEncode]] as const) {
  const t = process.hrtime.bigint(); let n = 0;
  for (let i = 0; i < 200000; i++) for (const s of inputs) n += f(s).length;
  console.log(name, Number(process.hrtime.bigint() - t) / 1e6, 'ms', n);
}
