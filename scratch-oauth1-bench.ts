import { createHmac } from 'node:crypto';
import { randomToken, requestSignatureBaseString, sign, verifyRequest, collectRequestParameters, protocolParameters, parseAuthorizationHeader, normalizeParameters, verifySignature } from './libs/oauth1/src/index';
const consumer = { id: 'c', key: randomToken(), secret: randomToken() };
const token = { consumerId: 'c', type: 'access' as const, secret: randomToken(), token: randomToken() };
const now = Math.floor(Date.now()/1000);
function req(n: number) {
  const params: Record<string,string> = { oauth_consumer_key: consumer.key, oauth_nonce: randomToken(), oauth_signature_method: 'HMAC-SHA256', oauth_timestamp: String(now), oauth_token: token.token, oauth_version: '1.0' };
  const r = { method: 'GET', url: '/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1', protocol: 'https', headers: { host: 'shop.example.com', authorization: '' } };
  r.headers.authorization = 'OAuth ' + Object.entries(params).map(([k,v]) => `${k}="${v}"`).join(', ');
  const bs = requestSignatureBaseString(r);
  const s = sign({ method: 'HMAC-SHA256', baseString: bs, consumerSecret: consumer.secret, tokenSecret: token.secret });
  r.headers.authorization += `, oauth_signature="${encodeURIComponent(s)}"`;
  return { r, bs, s };
}
const N = 30000;
const reqs = Array.from({ length: N }, (_, i) => req(i));
const lookups = { findConsumer: async () => consumer, findToken: async () => token, nonceStore: { claim: async () => true } };
function time(name: string, f: (x: typeof reqs[0]) => unknown) {
  const t = process.hrtime.bigint();
  for (const x of reqs) f(x);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(name.padEnd(20), Math.round(N / s), '/s', (s / N * 1e6).toFixed(2), 'us');
}
(async () => {
  for (let round = 0; round < 2; round++) {
  time('raw hmac', ({ bs }) => createHmac('sha256', consumer.secret + '&' + token.secret).update(bs).digest('base64'));
  time('parse header', ({ r }) => parseAuthorizationHeader(r.headers.authorization));
  time('collect', ({ r }) => collectRequestParameters(r));
  time('collect+protocol', ({ r }) => protocolParameters(collectRequestParameters(r)));
  time('normalize', ({ r }) => normalizeParameters(collectRequestParameters(r)));
  time('base string', ({ r }) => requestSignatureBaseString(r));
  time('verifySignature', ({ bs, s }) => verifySignature({ method: 'HMAC-SHA256', baseString: bs, consumerSecret: consumer.secret, tokenSecret: token.secret, signature: s }));
  const t = process.hrtime.bigint();
  for (const { r } of reqs) await verifyRequest(r, lookups, { mode: 'api-call' });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log('verifyRequest'.padEnd(20), Math.round(N / s), '/s', (s / N * 1e6).toFixed(2), 'us');
  }
})();
