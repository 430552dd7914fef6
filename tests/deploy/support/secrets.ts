import { randomBytes } from 'node:crypto';
import type { SecretStore } from './workloads';

/** A throwaway certificate authority and a server certificate it signed (PEM). */
export interface Certificates {
  caCert: string;
  cert: string;
  key: string;
}

/** Where the services' MongoDB is, as k8s/README.md's MongoDB Community operator names it. */
export const MONGO_SERVICE = 'integrations-mongo-svc.mongodb.svc:27017';

/**
 * The Secrets k8s/README.md tells an operator to create ("Secrets (never in git)"), filled with
 * generated values. The Mongo connection strings point at the operator's Service; the local
 * FerretDB standing in for it speaks neither SCRAM nor replica-set discovery, hence no user and
 * `directConnection`.
 */
export function generatedSecrets(
  certificates?: Certificates,
): SecretStore & { all: Record<string, Record<string, string>> } {
  const all: Record<string, Record<string, string>> = {};
  for (const service of ['gateway', 'registry', 'oauth', 'acl', 'config']) {
    all[`${service}-mongo`] = { 'connectionString.standard': `mongodb://${MONGO_SERVICE}/?directConnection=true` };
  }
  // As the README's command: kid:<base64 of 32 random bytes>, no OAUTH_ENCRYPTION_ACTIVE_KEY_ID (one key).
  all['oauth-encryption-keys'] = { OAUTH_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` };
  all['gateway-bootstrap-admin'] = {
    ADMIN_USERNAME: `admin${randomBytes(3).toString('hex')}`,
    ADMIN_PASSWORD: randomBytes(18).toString('base64'),
  };
  const tls = certificates
    ? { 'tls.crt': certificates.cert, 'tls.key': certificates.key }
    : { 'tls.crt': 'generated at boot', 'tls.key': 'generated at boot' };
  all['integrations-tls'] = tls;
  all['integrations-dev-tls'] = tls;
  all['integrations-dev-ca'] = { 'ca.crt': certificates?.caCert ?? 'generated at boot' };
  return {
    all,
    value: (secret, key) => all[secret]?.[key],
    keys: (secret) => Object.keys(all[secret] ?? {}),
  };
}
