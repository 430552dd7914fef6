import { type IntegrationCredentials, waitFor } from '@integrations/testing';
import { AdminClient, type IntegrationInput, type KnownIntegration, type Reply } from './admin-client';
import { AccessLog } from './nginx-access-log';
import type { Platform } from './platform';
import { bearerCall, signedCall, type SignedReply } from './signed-calls';

/**
 * The vocabulary of system tests, so a test reads as its scenario:
 *
 *     const partner = await given.anActiveIntegration(admin, { name });
 *     await when.theAdmin(admin).deletes(partner);
 *     await then.everyGatewayReplica(platform).refuses(partner.credentials!, PRODUCTS);
 *
 * `given` arranges and may wait for the system to settle (it is not what is tested); `when` acts once
 * and fails loudly if the action itself failed; `then` checks at once, never retrying: the
 * guarantees under test are "in force before the reply", so the first look must already see them.
 */

/** A signed route every integration with catalog access may call (served by the example commerce API). */
export const PRODUCTS = '/rest/V1/products';
/** A signed route that needs Magento_Sales::actions_view. */
export const ORDERS = '/rest/V1/orders';
/** Catalog only: products yes, orders no. */
export const CATALOG_ONLY = ['Magento_Catalog::catalog', 'Magento_Catalog::products'];

export const given = {
  /**
   * Created and activated without a token exchange (no callback URL: Magento's "tokens" popup).
   * Activation is retried until accepted: arranging, not the behaviour under test.
   */
  async anActiveIntegration(admin: AdminClient, input: IntegrationInput): Promise<KnownIntegration> {
    const created = await admin.create(input);
    if (created.status !== 201) throw new Error(`creating ${input.name}: ${describeReply(created)}`);
    return given.activated(admin, { id: created.body.id, name: input.name, version: created.body.version });
  },

  async activated(admin: AdminClient, integration: KnownIntegration): Promise<KnownIntegration> {
    let last: Reply | undefined;
    await waitFor(
      async () => {
        last = await admin.activate(integration.id);
        return last.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 250, message: () => `activating ${integration.name}: ${describeReply(last)}` },
    );
    const current = await admin.get(integration.id);
    return { ...integration, version: current.body.version, credentials: last!.body.credentials };
  },

  /**
   * Calls succeed through every gateway replica, `rounds` times each, until every replica of oauth and
   * acl behind NGINX has answered for these credentials: their caches hold the integration now, so a
   * revocation that a cache kept from a replica would show.
   */
  async acceptedEverywhere(platform: Platform, credentials: IntegrationCredentials, path = PRODUCTS): Promise<void> {
    await waitFor(async () => (await signedCall(platform.gateway, path, credentials)).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: `a signed call to ${path} to succeed`,
    });
    await reachEveryReplica(platform, async () => {
      for (const replies of await callEveryGateway(platform, credentials, path))
        if (replies.status !== 200) throw new Error(`while warming up: ${JSON.stringify(replies)}`);
    });
  },
};

export const when = {
  theAdmin(admin: AdminClient) {
    const expect2xx = (what: string, reply: Reply) => {
      if (reply.status < 200 || reply.status > 299) throw new Error(`${what}: ${describeReply(reply)}`);
      return reply;
    };
    return {
      deletes: async (integration: KnownIntegration) =>
        expect2xx(`deleting ${integration.name}`, await admin.remove(integration.id, integration.version)),
      /** Tokens mode: the reply carries the new credentials; the old ones must be dead by then. */
      reauthorizes: async (integration: KnownIntegration): Promise<KnownIntegration> => {
        const reply = expect2xx(`reauthorizing ${integration.name}`, await admin.reauthorize(integration.id));
        return { ...integration, credentials: reply.body.credentials };
      },
      narrowsTo: async (integration: KnownIntegration, resources: string[]): Promise<KnownIntegration> => {
        const reply = expect2xx(
          `narrowing ${integration.name}`,
          await admin.update(integration.id, integration.version, {
            name: integration.name,
            resourceAccess: 'custom',
            resources,
          }),
        );
        return { ...integration, version: reply.body.version };
      },
      createsAndActivates: async (input: IntegrationInput): Promise<KnownIntegration> => {
        const created = expect2xx(`creating ${input.name}`, await admin.create(input));
        const activated = expect2xx(`activating ${input.name}`, await admin.activate(created.body.id));
        return {
          id: created.body.id,
          name: input.name,
          version: created.body.version,
          credentials: activated.body.credentials,
        };
      },
    };
  },
};

export interface EveryReplicaOutcome {
  /** Every reply, gateway replica by gateway replica and through NGINX, in order. */
  replies: SignedReply[];
  /** Replicas of oauth and acl that answered for these calls (from NGINX's access log). */
  reached: Record<string, string[]>;
}

export type CallScheme = 'oauth' | 'bearer';

export const then = {
  /**
   * Calls each gateway replica directly (and NGINX), one call after another, starting right away:
   * the first reply of each already counts. Keeps calling (up to `maxRounds`) until every replica
   * of oauth and acl has been asked, so none of them can hide a stale answer behind round robin.
   * `scheme`: signed (OAuth 1.0a, default), or the access token as a standalone Bearer token.
   */
  async everyReplicaAnswers(
    platform: Platform,
    credentials: IntegrationCredentials,
    path: string,
    maxRounds = 12,
    scheme: CallScheme = 'oauth',
  ): Promise<EveryReplicaOutcome> {
    const replies: SignedReply[] = [];
    const reached = await reachEveryReplica(
      platform,
      async () => {
        replies.push(...(await callEveryGateway(platform, credentials, path, scheme)));
      },
      maxRounds,
    );
    return { replies, reached };
  },
};

/** One call to each gateway replica, then one through NGINX. */
export async function callEveryGateway(
  platform: Platform,
  credentials: IntegrationCredentials,
  path: string,
  scheme: CallScheme = 'oauth',
): Promise<SignedReply[]> {
  const call = scheme === 'oauth' ? signedCall : bearerCall;
  const replies: SignedReply[] = [];
  for (const base of [...platform.gatewayReplicas(), platform.gateway])
    replies.push(await call(base, path, credentials));
  return replies;
}

/** Runs `round` until NGINX has sent oauth and acl requests to each of their replicas (or gives up). */
async function reachEveryReplica(
  platform: Platform,
  round: () => Promise<void>,
  maxRounds = 12,
): Promise<Record<string, string[]>> {
  const log = new AccessLog(platform.system.logFiles['nginx-access'] ?? '');
  const mark = log.mark();
  const services = ['oauth', 'acl'].filter((service) => platform.system.instances(service).length > 1);
  const reached = (): Record<string, string[]> =>
    Object.fromEntries(
      services.map((service) => [service, [...log.upstreamsSince(mark, platform.system.ports[service]!)].sort()]),
    );
  for (let i = 0; i < maxRounds; i++) {
    await round();
    const now = reached();
    if (services.every((service) => now[service]!.length >= platform.system.instances(service).length)) return now;
  }
  return reached();
}

export function describeReply(reply: Reply | undefined): string {
  return reply ? `${reply.status} ${JSON.stringify(reply.body)?.slice(0, 300)}` : 'no reply';
}

export { AdminClient };
