export * from './identity';
export * from './errors';
export * from './tokens';
export * from './headers';
export * from './access';
export * from './oidc';
export * from './authorization';
