export * from './acl-catalog';
export * from './route-map-file';
