import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Certificates } from './secrets';

/** What an Ingress routes: its host, TLS, body limit and path prefixes (to the gateway). */
export interface IngressSpec {
  host: string;
  paths: string[];
  bodyLimit: string;
  sslRedirect: boolean;
}

/**
 * A throwaway CA and a certificate for `hosts` it signed (openssl, as cert-manager's CA issuer
 * would): the Ingress's TLS Secret, and the CA every client is made to trust.
 */
export function throwawayCertificates(dir: string, hosts: string[]): Certificates {
  mkdirSync(dir, { recursive: true });
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=deploy-test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${hosts[0]}`, '-keyout', 'tls.key', '-out', 'tls.csr']);
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\n`);
  run([
    'x509',
    '-req',
    '-in',
    'tls.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'tls.crt',
  ]);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return { caCert: read('ca.crt'), cert: read('tls.crt'), key: read('tls.key') };
}

export interface RunningIngress {
  /** Lines of the access log (`<status> <method> <uri> <scheme>`). */
  accessLog(): string[];
  stop(): Promise<void>;
}

/**
 * The real (Debian) NGINX configured as ingress-nginx configures itself for the Ingress: TLS ends
 * here with the Ingress's certificate, `Prefix` paths go to the gateway, anything else answers 404
 * (the default backend), http redirects to https (ssl-redirect), and the headers ingress-nginx sets
 * upstream (Host = the client's Host, X-Forwarded-*, X-Real-IP).
 */
export async function startIngress(options: {
  dir: string;
  spec: IngressSpec;
  certificates: Certificates;
  httpsPort: number;
  httpPort: number;
  gateway: { host: string; port: number };
}): Promise<RunningIngress> {
  const { dir, spec } = options;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'tls.crt'), options.certificates.cert);
  writeFileSync(join(dir, 'tls.key'), options.certificates.key, { mode: 0o600 });
  const upstream = `
      proxy_pass http://gateway;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Request-ID $request_id;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Port $server_port;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Scheme $scheme;`;
  // Prefix /admin matches /admin and /admin/…, never /administrator (Kubernetes path semantics).
  const locations = spec.paths
    .map(
      (path) =>
        `    location = ${path} {${upstream}\n    }\n    location ${path.replace(/\/?$/, '/')} {${upstream}\n    }`,
    )
    .join('\n');
  const config = `daemon off;
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 256; }
http {
  log_format deploy '$status $request_method $request_uri $scheme';
  access_log logs/access.log deploy;
  client_body_temp_path client_body;
  proxy_temp_path proxy;
  fastcgi_temp_path fastcgi;
  uwsgi_temp_path uwsgi;
  scgi_temp_path scgi;
  server_tokens off;
  upstream gateway {
    server ${options.gateway.host}:${options.gateway.port};
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${options.httpsPort} ssl;
    server_name ${spec.host};
    ssl_certificate ${join(dir, 'tls.crt')};
    ssl_certificate_key ${join(dir, 'tls.key')};
    client_max_body_size ${spec.bodyLimit};
${locations}
    location / { return 404; }
  }
  server {
    listen 127.0.0.1:${options.httpPort};
    server_name ${spec.host};
    location / { ${spec.sslRedirect ? 'return 308 https://$host$request_uri;' : 'return 404;'} }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), config);
  execFileSync('nginx', ['-t', '-q', '-p', dir, '-e', join(dir, 'logs/error.log'), '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const nginx: ChildProcess = spawn(
    'nginx',
    ['-p', dir, '-e', join(dir, 'logs/error.log'), '-c', join(dir, 'nginx.conf')],
    {
      stdio: 'ignore',
    },
  );
  await new Promise<void>((resolve, reject) => {
    nginx.once('error', (error) =>
      reject(new Error(`Could not start nginx (${error.message}); install the Debian package: apt-get install nginx`)),
    );
    nginx.once('spawn', () => resolve());
  });
  return {
    accessLog: () => {
      try {
        return readFileSync(join(dir, 'logs/access.log'), 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    stop: async () => {
      if (nginx.exitCode !== null || nginx.signalCode !== null) return;
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    },
  };
}
