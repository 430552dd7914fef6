import { createHmac } from 'node:crypto';
import { randomToken, requestSignatureBaseString, sign, verifyRequest } from './libs/oauth1/src/index';
const consumer = { id: 'c', key: randomToken(), secret: randomToken() };
const token = { consumerId: 'c', type: 'access' as const, secret: randomToken(), token: randomToken() };
const now = Math.floor(Date.now()/1000);
function req() {
  const params: Record<string,string> = { oauth_consumer_key: consumer.key, oauth_nonce: randomToken(), oauth_signature_method: 'HMAC-SHA256', oauth_timestamp: String(now), oauth_token: token.token, oauth_version: '1.0' };
  const r = { method: 'GET', url: '/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1', protocol: 'https', headers: { host: 'shop.example.com', authorization: '' } };
  r.headers.authorization = 'OAuth ' + Object.entries(params).map(([k,v]) => `${k}="${v}"`).join(', ');
  const bs = requestSignatureBaseString(r);
  const s = sign({ method: 'HMAC-SHA256', baseString: bs, consumerSecret: consumer.secret, tokenSecret: token.secret });
  r.headers.authorization += `, oauth_signature="${encodeURIComponent(s)}"`;
  return { r, bs };
}
const { r, bs } = req();
const lookups = { findConsumer: async () => consumer, findToken: async () => token, nonceStore: { claim: async () => true } };
(async () => {
  const N = 20000;
  let raw = 0, ver = 0;
  for (let round = 0; round < 10; round++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) createHmac('sha256', consumer.secret + '&' + token.secret).update(bs).digest('base64');
    raw += Number(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await verifyRequest(r, lookups, { mode: 'api-call' });
    ver += Number(process.hrtime.bigint() - t);
  }
  console.log({ raw: Math.round(N * 10 / (raw / 1e9)), verify: Math.round(N * 10 / (ver / 1e9)), ratio: (raw / ver).toFixed(2) });
})();
