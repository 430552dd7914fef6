import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerHealthProbe } from './health';
import { PartnerState } from './partner-state';
import { createPartnerApp, type PartnerLog } from './third-party-app';

export interface ThirdPartyAppOptions {
  /** Default 3020; 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** Reach the store here instead of at the `store_base_url` it POSTed. */
  storeBaseUrl?: string;
  /** Default: JSON lines on stdout. */
  log?: PartnerLog;
}

export interface RunningThirdPartyApp {
  url: string;
  /** What the app holds (tests read the credentials the store POSTed). */
  state: PartnerState;
  close(): Promise<void>;
}

const stdoutLog: PartnerLog = (level, message, fields = {}) => {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, service: 'third-party-app', message, ...fields })}\n`,
  );
};

/** Starts the example partner app (callback + identity-link pages) in this process. */
export async function startThirdPartyApp(options: ThirdPartyAppOptions = {}): Promise<RunningThirdPartyApp> {
  const host = options.host ?? '127.0.0.1';
  const state = new PartnerState();
  const handle = createPartnerApp({ state, log: options.log ?? stdoutLog, storeBaseUrl: options.storeBaseUrl });
  const server = createServer((req, res) => {
    if (!answerHealthProbe(req, res)) void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3020, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
