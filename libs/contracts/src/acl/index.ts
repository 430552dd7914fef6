export * from './acl-catalog';
