import type { EventOf } from '../event-definition';
import { ConfigChanged } from './config-changed.event';

/** Events the config service publishes (topic `integrations.config.v1`). */
export const configEvents = { ConfigChanged } as const;

export type ConfigEventType = keyof typeof configEvents;
export type ConfigEvent = EventOf<(typeof configEvents)[ConfigEventType]>;
