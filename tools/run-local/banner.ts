import { join, relative } from 'node:path';
import type { RunningSystem } from './launch-system';

export interface BannerOptions {
  root: string;
  seconds: number;
  stopsInfra: boolean;
  color: boolean;
}

/**
 * What a new user needs after `npm start`: where to click and how to sign in. The password is shown
 * on purpose (the terminal of the person who started it); it never goes to a log file.
 */
export function renderBanner(system: RunningSystem, options: BannerOptions): string {
  const bold = (text: string) => (options.color ? `\x1b[1m${text}\x1b[0m` : text);
  const line = '='.repeat(78);
  const rows: Array<[string, string]> = [];
  if (system.urls.admin) rows.push(['Admin UI', system.urls.admin]);
  if (system.urls.gateway) {
    if (system.admin) {
      const file = relative(options.root, join(system.stateDir, 'admin-credentials.json'));
      const from =
        system.admin.source === 'env'
          ? 'from ADMIN_USERNAME/ADMIN_PASSWORD'
          : `generated on the first start, saved in ${file}; the first sign-in asks for a new password`;
      rows.push(['Sign in as', `${bold(system.admin.username)} / ${bold(system.admin.password)}   (${from})`]);
    } else {
      rows.push([
        'Sign in as',
        'the admin created by an earlier run (its credentials file was deleted); reset its password with: npm run admin:add -- admin --reset',
      ]);
    }
    rows.push(['Admin API docs', system.urls.apiDocs]);
    rows.push(['Signed API', `${system.urls.gateway}/rest/V1/...   (OAuth 1.0a, through the gateway)`]);
  }
  const partner = system.urls['third-party-app'];
  if (partner)
    rows.push([
      'Partner app',
      `${partner}/   (example third party: Callback URL ${partner}/callback, Identity link URL ${partner}/login)`,
    ]);
  if (system.urls['commerce-api'])
    rows.push(['Commerce API', `${system.urls['commerce-api']}   (stand-in upstream; call it through the gateway)`]);
  rows.push([
    'Metrics',
    `<service URL>/metrics   (e.g. ${system.urls.gateway ?? Object.values(system.urls)[0]}/metrics)`,
  ]);
  rows.push(['Logs', `${relative(options.root, join(system.stateDir, 'logs'))}/<service>.log`]);
  const services = Object.entries(system.ports)
    .map(([name, port]) => {
      const replicas = system.instances(name);
      return replicas.length > 1
        ? `${name} :${port} (NGINX -> ${replicas.map((replica) => `:${replica.port}`).join(' ')})`
        : `${name} :${port}`;
    })
    .join(', ');

  return [
    '',
    line,
    `  ${bold('Integrations platform is up')} (in ${options.seconds.toFixed(1)}s)`,
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(15)} ${value}`),
    '',
    `  Services: ${services}`,
    options.stopsInfra
      ? '  Ctrl-C stops every service, then Kafka and FerretDB (--stop-infra).'
      : '  Ctrl-C stops every service; Kafka and FerretDB keep running (npm run infra:down stops them).',
    line,
    '',
  ].join('\n');
}
