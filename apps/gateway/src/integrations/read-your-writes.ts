import type { GetIntegrationQuery, ListIntegrationsQuery } from '@integrations/contracts';
import type { AdminPrincipal } from '../admin-auth/admin-auth.service';

/**
 * Read-your-writes for admins: the registry's command replies carry the integration's new
 * `version`; the session remembers it, and this session's next reads ask the registry to wait
 * (bounded) until its read models have caught up with that version. Another admin's reads are not
 * held back by our writes.
 */
const RECENT_WRITE_MS = 30_000;

// History needs nothing from us: the registry waits for the stream's own latest version there.
export const readYourWrites = {
  forIntegration(admin: AdminPrincipal, id: string): GetIntegrationQuery {
    const version = admin.writes[id];
    return version ? { minVersion: version } : {};
  },
  /**
   * The registry waits for one write per list: the session's latest. (Writes to other integrations
   * travel on other Kafka partitions, so an older one could in theory still be in flight; the
   * registry's query takes a single mark.)
   */
  forList(admin: AdminPrincipal, now: Date): Pick<ListIntegrationsQuery, 'minVersion' | 'minVersionId'> {
    const last = admin.lastWrite;
    // Older writes are long projected; sparing the registry the check keeps grid pages fast.
    if (!last || now.getTime() - new Date(last.at).getTime() > RECENT_WRITE_MS) return {};
    return { minVersionId: last.id, minVersion: last.version };
  },
};
