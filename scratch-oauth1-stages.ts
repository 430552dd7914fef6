import { createHmac } from 'node:crypto';
import { randomToken, requestSignatureBaseString, sign, verifyRequest, collectRequestParameters, protocolParameters, parseAuthorizationHeader, normalizeParameters, verifySignature } from './libs/oauth1/src/index';
const consumer = { id: 'c', key: randomToken(), secret: randomToken() };
const token = { consumerId: 'c', type: 'access' as const, secret: randomToken(), token: randomToken() };
const now = Math.floor(Date.now()/1000);
const params: Record<string,string> = { oauth_consumer_key: consumer.key, oauth_nonce: randomToken(), oauth_signature_method: 'HMAC-SHA256', oauth_timestamp: String(now), oauth_token: token.token, oauth_version: '1.0' };
const r = { method: 'GET', url: '/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1', protocol: 'https', headers: { host: 'shop.example.com', authorization: '' } };
r.headers.authorization = 'OAuth ' + Object.entries(params).map(([k,v]) => `${k}="${v}"`).join(', ');
const bs = requestSignatureBaseString(r);
const s = sign({ method: 'HMAC-SHA256', baseString: bs, consumerSecret: consumer.secret, tokenSecret: token.secret });
r.headers.authorization += `, oauth_signature="${encodeURIComponent(s)}"`;
const pairs = collectRequestParameters(r);
const lookups = { findConsumer: async () => consumer, findToken: async () => token, nonceStore: { claim: async () => true } };
const stages: Record<string, () => unknown> = {
  rawHmac: () => createHmac('sha256', consumer.secret + '&' + token.secret).update(bs).digest('base64'),
  parseHeader: () => parseAuthorizationHeader(r.headers.authorization),
  collect: () => collectRequestParameters(r),
  protocolParams: () => protocolParameters(pairs),
  normalize: () => normalizeParameters(pairs),
  baseStringFromPairs: () => requestSignatureBaseString(r, pairs),
  verifySignature: () => verifySignature({ method: 'HMAC-SHA256', baseString: bs, consumerSecret: consumer.secret, tokenSecret: token.secret, signature: s }),
};
const totals: Record<string, number> = {};
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
(async () => {
  const N = 5000;
  for (let round = 0; round < 20; round++) {
    for (const [name, f] of Object.entries(stages)) {
      const t = cpu();
      for (let i = 0; i < N; i++) f();
      totals[name] = (totals[name] ?? 0) + cpu() - t;
    }
    const t = cpu();
    for (let i = 0; i < N; i++) await verifyRequest(r, lookups, { mode: 'api-call' });
    totals.verifyRequest = (totals.verifyRequest ?? 0) + cpu() - t;
  }
  console.log(Object.entries(totals).map(([k, v]) => `${k} ${(v / totals.rawHmac).toFixed(2)}`).join(' | '), '| raw us', (totals.rawHmac / N / 20).toFixed(2));
})();
