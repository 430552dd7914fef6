export * from './http-headers';
export * from './error-body';
export * from './access.contract';
export * from './verification.contract';
export * from './decision.contract';
export * from './credentials.contract';
export * from './activation.contract';
