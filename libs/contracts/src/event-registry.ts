import { configEvents } from './config/config.events';
import type { DataOf, EventDefinition, EventOf } from './event-definition';
import { integrationEvents } from './integration/integration.events';
import { oauthEvents } from './oauth/oauth.events';

/** type -> definition, for every event that crosses a service boundary. Used by parseCloudEvent. */
export const eventRegistry = {
  ...integrationEvents,
  ...oauthEvents,
  ...configEvents,
} as const;

export type ContractEventType = keyof typeof eventRegistry;
export type ContractEventData<TType extends ContractEventType> = DataOf<(typeof eventRegistry)[TType]>;
/** `{type, payload}` union of every contract event. */
export type ContractEvent = EventOf<(typeof eventRegistry)[ContractEventType]>;

// A key that differs from its definition's `type` would route data to the wrong schema.
type RegistryKeysMatchTypes = {
  [K in ContractEventType]: (typeof eventRegistry)[K] extends EventDefinition<K> ? true : never;
}[ContractEventType];
const _registryKeysMatchTypes: RegistryKeysMatchTypes = true;
void _registryKeysMatchTypes;

export function isContractEventType(type: string): type is ContractEventType {
  return Object.prototype.hasOwnProperty.call(eventRegistry, type);
}

export function eventDefinition(type: string): EventDefinition | undefined {
  return isContractEventType(type) ? eventRegistry[type] : undefined;
}
