import { createHmac } from 'node:crypto';
import { randomToken, requestSignatureBaseString, sign, verifyRequest, collectRequestParameters, protocolParameters, verifySignature } from './libs/oauth1/src/index';
const consumer = { id: 'c', key: randomToken(), secret: randomToken() };
const token = { consumerId: 'c', type: 'access' as const, secret: randomToken(), token: randomToken() };
const now = Math.floor(Date.now()/1000);
const params: Record<string,string> = { oauth_consumer_key: consumer.key, oauth_nonce: randomToken(), oauth_signature_method: 'HMAC-SHA256', oauth_timestamp: String(now), oauth_token: token.token, oauth_version: '1.0' };
const r = { method: 'GET', url: '/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1', protocol: 'https', headers: { host: 'shop.example.com', authorization: '' } };
r.headers.authorization = 'OAuth ' + Object.entries(params).map(([k,v]) => `${k}="${v}"`).join(', ');
const bs = requestSignatureBaseString(r);
const s = sign({ method: 'HMAC-SHA256', baseString: bs, consumerSecret: consumer.secret, tokenSecret: token.secret });
r.headers.authorization += `, oauth_signature="${encodeURIComponent(s)}"`;
const lookups = { findConsumer: async () => consumer, findToken: async () => token, nonceStore: { claim: async () => true } };
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
function syncPipeline() {
  const pairs = collectRequestParameters(r);
  const p = protocolParameters(pairs);
  const b = requestSignatureBaseString(r, pairs);
  return verifySignature({ method: 'HMAC-SHA256', baseString: b, consumerSecret: consumer.secret, tokenSecret: token.secret, signature: p.oauth_signature });
}
(async () => {
  const N = 5000; const tot: Record<string, number> = {};
  for (let round = 0; round < 20; round++) {
    let t = cpu(); for (let i = 0; i < N; i++) createHmac('sha256', consumer.secret + '&' + token.secret).update(bs).digest('base64'); tot.raw = (tot.raw ?? 0) + cpu() - t;
    t = cpu(); for (let i = 0; i < N; i++) if (!syncPipeline()) throw new Error('x'); tot.sync = (tot.sync ?? 0) + cpu() - t;
    t = cpu(); for (let i = 0; i < N; i++) await verifyRequest(r, lookups, { mode: 'api-call' }); tot.verify = (tot.verify ?? 0) + cpu() - t;
    t = cpu(); for (let i = 0; i < N; i++) { verifyRequest(r, lookups, { mode: 'api-call' }); } await new Promise(res => setImmediate(res)); tot.verifyNoAwait = (tot.verifyNoAwait ?? 0) + cpu() - t;
  }
  console.log(Object.entries(tot).map(([k, v]) => `${k} ${(v / tot.raw).toFixed(2)}`).join(' | '));
})();
