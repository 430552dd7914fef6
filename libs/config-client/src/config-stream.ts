/**
 * The config service's one event stream (settings have one scope, Magento's "Global"; a scope-aware
 * future would add `config:website:<id>` streams). It is the CloudEvents `subject` and Kafka key of
 * every ConfigChanged event.
 */
export const CONFIG_STREAM_ID = 'config:default';
