import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';

export const REPO_ROOT = resolve(__dirname, '../../..');
const KUSTOMIZE = join(REPO_ROOT, '.infra/bin/kustomize');

/** A Kubernetes object as rendered (only the fields the checks read are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Rendered objects are read field by field; their shapes are the Kubernetes API's.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
}

/**
 * `kustomize build k8s/overlays/<overlay>` with the kustomize `npm run k8s:validate` pins (installed
 * into .infra/bin on first use, as k8s/validate.sh does).
 */
export function renderOverlay(overlay: 'dev' | 'prod'): K8sObject[] {
  if (!existsSync(KUSTOMIZE)) {
    execFileSync('bash', ['k8s/validate.sh', '--tools'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  const yaml = execFileSync(KUSTOMIZE, ['build', `k8s/overlays/${overlay}`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

/** A docker-compose service, after YAML anchors/merge keys and `${VAR:-default}` interpolation. */
export interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/**
 * docker-compose.yml as `docker compose config` would resolve it: merge keys applied, `${VAR}`,
 * `${VAR:-default}` and `${VAR-default}` taken from `variables` (the shell environment of
 * `docker compose up`), `$$` for a literal `$`. Anything else compose supports (`${VAR:?err}`,
 * nested defaults) fails here rather than being guessed.
 */
export function renderCompose(variables: Record<string, string>): ComposeFile {
  const text = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
  const interpolated = text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$\{[^}]*\}/g,
    (match, name, op, fallback) => {
      if (match === '$$') return '$';
      if (name === undefined) throw new Error(`docker-compose.yml: unsupported interpolation ${match}`);
      const value = variables[name];
      if (op === ':-') return value ? value : fallback;
      if (op === '-') return value ?? fallback;
      return value ?? '';
    },
  );
  const document = parseDocument(interpolated, { merge: true });
  if (document.errors.length > 0) throw new Error(`docker-compose.yml: ${document.errors[0]!.message}`);
  return document.toJS({ maxAliasCount: -1 }) as ComposeFile;
}

/** The service an image runs: `registry.example.com/integrations/oauth:0.1.0` -> `oauth`. */
export function serviceOfImage(image: string): string {
  const withoutTag = image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  return withoutTag.split('/').at(-1)!;
}
