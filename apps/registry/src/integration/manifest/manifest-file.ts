import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CreateIntegrationRequestSchema } from '@integrations/contracts';
import { z } from 'zod';
import type { AclCatalog } from '../acl-catalog';
import { type IntegrationFields, toIntegrationFields } from '../integration-fields';
import { nameKey } from '../name-reservations';

/**
 * The declarative integrations manifest (Magento's config-based integrations, `etc/integration.xml`),
 * as JSON: `{"$comment"?, "integrations": [{name, email?, callbackUrl?, identityLinkUrl?,
 * resourceAccess, resources?}]}` (k8s/components/examples/config-files/integrations.json holds a
 * sample). The entry rules are the admin API's (`CreateIntegrationRequestSchema`, libs/contracts),
 * plus what only a file can get wrong: unknown keys, the same name twice, resources the ACL catalog
 * does not have, and resources listed with "all".
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  readonly code = 'MANIFEST.INVALID';
}

export interface ManifestEntry {
  /** Position in the file, for messages. */
  index: number;
  fields: IntegrationFields;
}

export interface Manifest {
  /** Absolute path the manifest was read from. */
  path: string;
  entries: ManifestEntry[];
}

/** The file's schema; the catalog is part of it so that every problem is reported in one go. */
function manifestSchema(catalog: AclCatalog) {
  const entry = CreateIntegrationRequestSchema.extend({ $comment: z.string().optional() }).superRefine((value, ctx) => {
    const listed = value.resources ?? [];
    // With "all" Magento ignores the tree; in a file a list next to "all" is a mistake, not a choice.
    if (value.resourceAccess === 'all' && listed.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources'],
        message: 'Resources must not be listed with resourceAccess "all"; use "custom" or drop the list.',
      });
    } else if (value.resourceAccess === 'custom') {
      const unknown = catalog.unknown(listed);
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['resources'],
          message: `unknown ACL resource(s) ${unknown.map((id) => `"${id}"`).join(', ')}; use ids from the ACL catalog (ACL_CATALOG_FILE).`,
        });
      }
    }
  });
  return z
    .object({
      $comment: z.string().optional(),
      integrations: z
        .array(entry, { error: '"integrations" must be a list of integrations.' })
        .superRefine((entries, ctx) => {
          const seen = new Map<string, number>();
          entries.forEach((value, index) => {
            const key = nameKey(value.name);
            const first = seen.get(key);
            if (first === undefined) seen.set(key, index);
            else
              ctx.addIssue({
                code: 'custom',
                path: [index, 'name'],
                message: `the name "${value.name}" is also used by integrations[${first}]; names are unique (case-insensitive).`,
              });
          });
        }),
    })
    .strict();
}

const MAX_PROBLEMS = 10;

/**
 * Validates a parsed manifest. Every problem is reported as `integrations[<index>] ("<name>").<field>:
 * <message>` so the operator can find it in the file; the first few are listed.
 */
export function parseManifest(json: unknown, catalog: AclCatalog, source: string): Manifest['entries'] {
  const result = manifestSchema(catalog).safeParse(json);
  if (!result.success) {
    throw invalid(
      source,
      result.error.issues.map((issue) => `${describe(json, issue.path)}: ${issueMessage(issue)}`),
    );
  }
  return result.data.integrations.map((entry, index) => ({ index, fields: toIntegrationFields(entry) }));
}

/** Reads and validates the manifest at boot; every failure names the file and INTEGRATIONS_MANIFEST_FILE. */
export function loadManifest(file: string, catalog: AclCatalog): Manifest {
  const path = locate(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ManifestError(
      `Integrations manifest ${path} (INTEGRATIONS_MANIFEST_FILE) cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). ` +
        'Point INTEGRATIONS_MANIFEST_FILE at the JSON file, or unset it to run without declarative integrations.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(
      `Integrations manifest ${path} (INTEGRATIONS_MANIFEST_FILE) is not valid JSON: ${(error as Error).message}.`,
    );
  }
  return { path, entries: parseManifest(json, catalog, `Integrations manifest ${path} (INTEGRATIONS_MANIFEST_FILE)`) };
}

function invalid(source: string, problems: string[]): ManifestError {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `  - ${p}`);
  if (problems.length > MAX_PROBLEMS) shown.push(`  - … and ${problems.length - MAX_PROBLEMS} more`);
  return new ManifestError(`${source} is invalid; nothing was applied:\n${shown.join('\n')}`);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: name, email, callbackUrl, identityLinkUrl, resourceAccess, resources.`;
  return issue.message;
}

/** `integrations[0] ("ERP Connector").email`; the name helps when entries are many. */
function describe(json: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let text = '';
  let node: unknown = json;
  for (const [i, key] of path.entries()) {
    if (typeof key === 'number') {
      text += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const name = (node as { name?: unknown } | undefined)?.name;
      if (i === 1 && path[0] === 'integrations' && typeof name === 'string' && name.trim())
        text += ` ("${name.trim()}")`;
    } else {
      text += text ? `.${String(key)}` : String(key);
      node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    }
  }
  return text;
}

/** Relative paths: from the working directory, else from the repository root (tests, `npm start`). */
function locate(file: string): string {
  const fromCwd = resolve(file);
  if (isAbsolute(file) || existsSync(fromCwd)) return fromCwd;
  const fromRepo = resolve(__dirname, '../../../../..', file);
  return existsSync(fromRepo) ? fromRepo : fromCwd;
}
