export { CONFIG_STREAM_ID } from './config-stream';
export {
  applyConfigChanges,
  type AppliedChanges,
  type IgnoredChange,
  type SettingChange,
} from './apply-config-changes';
export {
  foldConfigChanged,
  initialConfigViewState,
  type ConfigChangedMessage,
  type ConfigViewState,
  type FoldOutcome,
} from './config-fold';
export {
  createConfigView,
  type ConfigChangeListener,
  type ConfigChangeNotice,
  type ConfigView,
  type ConfigViewLogger,
  type ConfigViewOptions,
} from './config-view';
export { createKafkaEndOffsets, type PartitionBounds, type TopicEndOffsets } from './topic-end-offsets';
