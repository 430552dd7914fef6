import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadAclEnv } from '../../../apps/acl/src/acl.env';
import { upstreamEnvVariable } from '../../../apps/acl/src/routes/route-map';
import { loadConfigServiceEnv } from '../../../apps/config/src/config.env';
import { loadAdminUiConfig } from '../../../apps/gateway/src/admin-ui/admin-ui.config';
import { loadGatewayEnv } from '../../../apps/gateway/src/gateway.env';
import { loadOauthEnv } from '../../../apps/oauth/src/oauth.env';
import { loadRegistryEnv } from '../../../apps/registry/src/registry.env';
import { loadSubscriberEnv } from '../../../examples/subscriber/src/subscriber.env';
import { REPO_ROOT } from './render';

/**
 * What the code of each image reads from its environment, and the schemas that judge the values.
 *
 * The schemas are the services' own: their exported loaders (`loadAclEnv`, …), imported here by
 * relative path as tests/faults imports service modules (tests are outside the apps' boundary
 * rules). A loader given a Proxy for an environment reads every variable its schema declares, so the
 * Proxy lists them without the schema being exported; given a real environment it either returns or
 * throws ConfigError naming each bad variable.
 *
 * On top of the schemas: `process.env.X` read anywhere in the files the entry point reaches (imports
 * followed from src/main.ts through the shared libs), the image's own scripts (tools/docker), and the
 * acl's route map, which reads UPSTREAM_<NAME>_URL for each upstream its file declares.
 */
type Loader = (env: NodeJS.ProcessEnv) => unknown;

interface ImageCode {
  /** Entry file the image runs for this SERVICE (relative to the repo root). */
  main: string;
  loaders: Loader[];
}

/** SERVICE of the image -> its entry and env loaders. Update here when a service's env module moves. */
const IMAGES: Record<string, ImageCode> = {
  gateway: {
    main: 'apps/gateway/src/main.ts',
    loaders: [loadGatewayEnv, (env) => loadAdminUiConfig(env, REPO_ROOT)],
  },
  registry: { main: 'apps/registry/src/main.ts', loaders: [loadRegistryEnv] },
  oauth: { main: 'apps/oauth/src/main.ts', loaders: [loadOauthEnv] },
  acl: { main: 'apps/acl/src/main.ts', loaders: [loadAclEnv] },
  config: { main: 'apps/config/src/main.ts', loaders: [loadConfigServiceEnv] },
  subscriber: { main: 'examples/subscriber/src/main.ts', loaders: [loadSubscriberEnv] },
  'commerce-api': { main: 'examples/commerce-api/src/main.ts', loaders: [] },
  'third-party-app': { main: 'examples/third-party-app/src/main.ts', loaders: [] },
};

/** Scripts of the image (Dockerfile build stage copies them to /app). */
const IMAGE_SCRIPTS: Record<string, string> = {
  'main.js': 'tools/docker/service-entry.js',
  'healthcheck.js': 'tools/docker/healthcheck.js',
  'set-outbound-allowlist.js': 'tools/docker/set-outbound-allowlist.js',
};

/** What node itself reads at start (https://nodejs.org/api/cli.html#environment-variables). */
const NODE_READS = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];

/** The image's WORKDIR: its files are the repository's (config/, …) at the same relative paths. */
const IMAGE_WORKDIR = '/app/';

export interface CodeEnv {
  /** Every variable the code may read. */
  reads: Set<string>;
  /** Variables whose absence the schema refuses. */
  required: Set<string>;
  /** Where each read was found (for messages). */
  readBy: Map<string, string>;
  /** The schema's verdict on an environment: one line per problem, none when valid. */
  validate(env: NodeJS.ProcessEnv): string[];
}

/**
 * What a container's code reads: the image's SERVICE, or the script its command runs.
 * `files` are the container's mounted files (the acl's route map decides its UPSTREAM_* names).
 */
export function codeEnvOf(
  service: string,
  command: string[] | undefined,
  files: Array<{ path: string; content: string }>,
  env: Record<string, string>,
): CodeEnv {
  const reads = new Map<string, string>();
  const add = (name: string, by: string) => {
    if (!reads.has(name)) reads.set(name, by);
  };
  const prefix = service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

  const script = command?.[0] === 'node' ? command[1] : undefined;
  if (script) {
    const source = IMAGE_SCRIPTS[script];
    if (!source) throw new Error(`command runs ${script}, which is not a script of the image`);
    for (const name of staticReads(readFileSync(join(REPO_ROOT, source), 'utf8'))) add(name, source);
    return { reads: new Set(reads.keys()), required: new Set(), readBy: reads, validate: () => [] };
  }

  const image = IMAGES[service];
  if (!image) throw new Error(`no code known for SERVICE=${service} (tests/deploy/support/code-env.ts)`);
  for (const name of NODE_READS) add(name, 'node (the runtime)');
  // The entry point (SERVICE, <PREFIX>_HOST) and the HEALTHCHECK (SERVICE, <PREFIX>_PORT).
  add('SERVICE', IMAGE_SCRIPTS['main.js']);
  add(`${prefix}_HOST`, IMAGE_SCRIPTS['main.js']);
  add(`${prefix}_PORT`, IMAGE_SCRIPTS['healthcheck.js']);
  for (const file of reachableFiles(image.main)) {
    for (const name of staticReads(readFileSync(join(REPO_ROOT, file), 'utf8'))) add(name, file);
  }
  for (const loader of image.loaders) for (const name of schemaKeys(loader)) add(name, 'its env schema');

  if (service === 'acl') {
    const routesPath = env.ACL_ROUTES_FILE ?? 'config/routes.json';
    const mounted = files.find((file) => file.path === routesPath);
    const inImage = routesPath.startsWith(IMAGE_WORKDIR) ? routesPath.slice(IMAGE_WORKDIR.length) : routesPath;
    const routes = JSON.parse(mounted?.content ?? readFileSync(join(REPO_ROOT, inImage), 'utf8')) as {
      upstreams: Record<string, unknown>;
    };
    for (const upstream of Object.keys(routes.upstreams)) add(upstreamEnvVariable(upstream), `${routesPath} upstreams`);
  }

  const required = new Set<string>();
  for (const name of reads.keys()) {
    if (image.loaders.some((loader) => problemsOf(loader, { ...env, [name]: undefined }).some(names(name))))
      required.add(name);
  }
  return {
    reads: new Set(reads.keys()),
    required,
    readBy: reads,
    validate: (candidate) => image.loaders.flatMap((loader) => problemsOf(loader, candidate)),
  };
}

const names = (variable: string) => (problem: string) => problem.startsWith(`${variable}: `);

/** A loader's problems with an environment, one `VARIABLE: message` line each. */
function problemsOf(loader: Loader, env: NodeJS.ProcessEnv): string[] {
  try {
    loader(env);
    return [];
  } catch (error) {
    const lines = (error as Error).message.split('\n').filter((line) => /^\s+- /.test(line));
    return lines.length > 0 ? lines.map((line) => line.replace(/^\s+- /, '')) : [(error as Error).message];
  }
}

/** The variables a loader's schema reads: every property it asks the environment for. */
function schemaKeys(loader: Loader): string[] {
  const asked = new Set<string>();
  const recorder = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, key) => {
      if (typeof key === 'string') asked.add(key);
      return undefined;
    },
    has: (_target, key) => {
      if (typeof key === 'string') asked.add(key);
      return false;
    },
  });
  problemsOf(loader, recorder);
  return [...asked].filter((key) => /^[A-Z][A-Z0-9_]*$/.test(key));
}

/** `process.env.NAME`, `process.env['NAME']` and `process.env["NAME"]` in a source text. */
export function staticReads(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g))
    found.add(match[1] ?? match[2]!);
  return [...found];
}

const LIBS: Record<string, string> = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.base.json'), 'utf8'))
  .compilerOptions.paths;

/**
 * The workspace files an entry point imports, transitively: relative imports and the
 * `@integrations/*` libraries (tsconfig paths). Type-only imports are followed too (harmless).
 */
export function reachableFiles(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(join(REPO_ROOT, file), 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)) {
      const specifier = match[1]!;
      let target: string | undefined;
      if (specifier.startsWith('.')) target = resolveSource(join(dirname(file), specifier));
      else if (LIBS[specifier]) target = LIBS[specifier][0];
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen];
}

function resolveSource(path: string): string | undefined {
  for (const candidate of [`${path}.ts`, `${path}.tsx`, join(path, 'index.ts'), path]) {
    if (existsSync(join(REPO_ROOT, candidate)) && candidate.match(/\.(ts|tsx|js|json)$/))
      return relative(REPO_ROOT, resolve(REPO_ROOT, candidate));
  }
  return undefined;
}
