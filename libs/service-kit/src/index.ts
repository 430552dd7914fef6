export * from './bootstrap';
export * from './config';
export * from './error.filter';
export * from './errors';
export * from './health.controller';
export * from './logger';
export * from './request-context';
export * from './validation';
