import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@integrations/testing';
import {
  ADMIN,
  createIntegration,
  CREDENTIAL,
  type GatewayStack,
  type Json,
  startGatewayStack,
} from './support/gateway-stack';

/**
 * Interoperability: a client that shares no code with us, Python's requests-oauthlib (Debian
 * python3-requests-oauthlib; oauthlib signs), completes the Magento token exchange through the
 * gateway with the credentials the store POSTed to the partner's callback, then makes signed calls
 * that Magento itself gets wrong: brackets and spaces in the query, an encoded slash in the path, the
 * OAuth parameters in the query, a signed form body. Real Kafka + FerretDB and every service (processes).
 */
const SCRIPT = join(__dirname, 'support/oauth_client.py');

/**
 * The interpreter that has requests-oauthlib: OAUTH_CLIENT_PYTHON, else Debian's /usr/bin/python3
 * (a pyenv `python3` earlier on PATH usually lacks the Debian package), else `python3`.
 */
function pythonWithRequestsOauthlib(): string {
  const python = process.env.OAUTH_CLIENT_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  try {
    execFileSync(python, ['-c', 'import requests_oauthlib'], { stdio: 'pipe' });
  } catch (error) {
    const detail = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message)
      .trim()
      .split('\n')
      .at(-1);
    throw new Error(
      `The Python OAuth client needs requests-oauthlib, which ${python} cannot import (${detail}). ` +
        'Install it with `apt-get install python3-requests-oauthlib` (.ci/run does), or point OAUTH_CLIENT_PYTHON at an interpreter that has it.',
    );
  }
  return python;
}

interface Step {
  name: string;
  status: number;
  contentType: string;
  sent: { method: string; url: string; body: string | null };
  body: Json;
}

function runClient(
  python: string,
  input: Record<string, string>,
): Promise<{ accessTokenFingerprint: string; accessTokenLength: number; steps: Step[] }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      python,
      [SCRIPT],
      { timeout: 90_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`oauth_client.py failed (exit ${String(error.code)}):\n${stderr}`));
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`oauth_client.py printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
    child.stdin!.end(JSON.stringify(input));
  });
}

let stack: GatewayStack;
let python: string;

beforeAll(async () => {
  // First, so a machine without the package fails in a second with the fix, not after a boot.
  python = pythonWithRequestsOauthlib();
  // The partner app's callback is on loopback, which the stack allows.
  stack = await startGatewayStack('pyoauth', { partner: true });
}, 300_000);

afterAll(async () => {
  await stack?.close();
}, 120_000);

it('requests-oauthlib completes the exchange through the gateway and makes signed calls Magento gets wrong', async () => {
  const created = await createIntegration(stack, 'Python client', {
    callbackUrl: `${stack.partner!.url}/callback`,
    identityLinkUrl: `${stack.partner!.url}/login`,
    resourceAccess: 'all',
    resources: undefined, // 'all' sends no resource list
  });
  const activated = await stack.api.request('POST', `/admin/v1/integrations/${created.id}/activate`, {
    token: stack.token,
    body: { currentPassword: ADMIN.password },
  });
  expect(activated.status).toBe(202);
  const received = stack.partner!.state.link(activated.body.consumerKey)!;
  const base = stack.base;

  const t0 = Date.now();
  const result = await runClient(python, {
    base_url: received.storeBaseUrl,
    consumer_key: received.consumerKey,
    consumer_secret: received.consumerSecret,
    verifier: received.verifier,
  });
  process.stdout.write(
    `python client: ${result.steps.length} steps in ${Date.now() - t0} ms; ${JSON.stringify(result.steps.map((s) => [s.name, s.status]))} ${JSON.stringify((result as Json).untilActive)}\n`,
  );
  const steps = Object.fromEntries(result.steps.map((s) => [s.name, s]));

  expect(steps['request token']).toMatchObject({
    status: 200,
    contentType: 'application/x-www-form-urlencoded',
    sent: { method: 'POST', url: `${base}/oauth/token/request` },
  });
  expect(steps['request token'].body).toMatch(/^oauth_token=[0-9a-z]{32}&oauth_token_secret=[0-9a-z]{32}$/);

  // Every OAuth parameter travelled in the form body, which the gateway forwarded byte for byte.
  const access = steps['access token (form body)'];
  expect(access).toMatchObject({ status: 200, sent: { method: 'POST', url: `${base}/oauth/token/access` } });
  const sentForm = new URLSearchParams(access.sent.body ?? '');
  expect(sentForm.get('oauth_verifier')).toBe(received.verifier);
  expect(sentForm.get('oauth_signature')).toBeTruthy();
  expect(sentForm.get('note')).toBe('linked by a+b python');
  expect(result.accessTokenLength).toBe(32);
  expect(result.accessTokenFingerprint).toMatch(/^[0-9a-z]{4}$/);
  await waitFor(
    async () =>
      (await stack.api.request('GET', `/admin/v1/integrations/${created.id}`, { token: stack.token })).body.status ===
      'active',
    { timeoutMs: 15_000, message: 'the integration is active' },
  );

  const plus = steps['query: encoded brackets, space as +'];
  expect(plus.sent.url).toBe(
    `${base}/rest/V1/products?searchCriteria%5Bfilter_groups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=a+b&searchCriteria%5BpageSize%5D=2`,
  );
  expect(plus).toMatchObject({ status: 200, body: { items: expect.any(Array) } });
  expect(plus.body.items).toHaveLength(2);

  const percent20 = steps['query: space as %20'];
  expect(percent20.sent.url).toContain('=a%20b&');
  expect(percent20).toMatchObject({ status: 200 });
  expect(percent20.body.items).toHaveLength(2);

  const slash = steps['path: encoded slash'];
  expect(slash.sent.url).toBe(`${base}/rest/V1/products/ABC%2F10`);
  expect(slash).toMatchObject({ status: 200, body: { sku: 'ABC/10' } });
  expect(stack.upstreamSaw).toContainEqual({
    method: 'GET',
    url: '/rest/V1/products/ABC%2F10',
    integrationId: created.id,
  });

  const inQuery = steps['oauth parameters in the query'];
  expect(new URL(inQuery.sent.url).searchParams.get('oauth_signature')).toBeTruthy();
  expect(inQuery).toMatchObject({ status: 200, body: { sku: 'ABC/10' } });

  // Past signature and ACL: the commerce API itself answered (it takes JSON, so it refuses the form).
  const form = steps['form body'];
  expect(form.sent.body).toBe('product%5Bsku%5D=PY+1&note=a%2Bb+c%26d');
  expect(form.status).not.toBe(401);
  expect(stack.upstreamSaw).toContainEqual({
    method: 'POST',
    url: '/rest/V1/products',
    integrationId: created.id,
  });

  expect(steps['wrong consumer secret']).toMatchObject({
    status: 401,
    body: { message: 'The signature is invalid. Verify and try again.' },
  });
  expect(CREDENTIAL.test(received.consumerKey)).toBe(true);
});
