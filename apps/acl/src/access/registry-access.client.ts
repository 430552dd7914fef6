import { IntegrationAccessSchema, InternalHeaders, type IntegrationAccess } from '@integrations/contracts';

/**
 * What the registry says of an integration's access: its state at the stream's current version,
 * `never-existed` (404 INTEGRATION.NOT_FOUND), or `unknown` (unreachable, 5xx, any other answer),
 * in which case nothing may be concluded.
 */
export type RegistryAccessAnswer =
  { kind: 'access'; access: IntegrationAccess } | { kind: 'never-existed' } | { kind: 'unknown'; problem: string };

/** The registry's not-found code; any other 404 (a wrong URL, an older registry) proves nothing. */
const NOT_FOUND_CODE = 'INTEGRATION.NOT_FOUND';

/** `GET ${REGISTRY_URL}/integrations/:id/access`, read by the registry from its event store. */
export class RegistryAccessClient {
  constructor(
    private readonly registryUrl: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async fetchAccess(integrationId: string, correlationId: string): Promise<RegistryAccessAnswer> {
    let response: Response;
    try {
      response = await fetch(`${this.registryUrl}/integrations/${encodeURIComponent(integrationId)}/access`, {
        headers: { [InternalHeaders.correlationId]: correlationId },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { kind: 'unknown', problem: `registry unreachable (${(error as Error).message})` };
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 404) {
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
      return code === NOT_FOUND_CODE
        ? { kind: 'never-existed' }
        : { kind: 'unknown', problem: `registry answered 404 with code ${String(code)}` };
    }
    if (response.status !== 200) return { kind: 'unknown', problem: `registry answered ${response.status}` };
    const parsed = IntegrationAccessSchema.safeParse(body);
    if (!parsed.success)
      return {
        kind: 'unknown',
        problem: `registry answered an invalid access body (${parsed.error.issues[0]?.message})`,
      };
    if (parsed.data.integrationId !== integrationId)
      return { kind: 'unknown', problem: `registry answered for integration ${parsed.data.integrationId}` };
    return { kind: 'access', access: parsed.data };
  }
}
