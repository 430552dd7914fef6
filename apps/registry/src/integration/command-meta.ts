import { currentContext } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import type { CommandMeta } from './integration.repository';

/** Time, actor and correlation of the command being handled, from the request (`x-actor`, `x-correlation-id`). */
export function commandMeta(now = new Date()): CommandMeta {
  const context = currentContext();
  return { now, actor: context?.actor || 'system', correlationId: context?.correlationId ?? randomUUID() };
}
