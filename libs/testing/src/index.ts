export * from './test-infra';
export * from './unique-name';
export * from './wait-for';
export * from './event-builders';
export * from './kafka-topics';
export * from './kafka-test-consumer';
export * from './broker-outage-switch';
export * from './signed-request';
