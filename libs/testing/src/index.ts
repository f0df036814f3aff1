export * from './postgres-database';
export { given } from '@cnrms/decider/testing';
export * from './pdf-text';
export * from './smtp-server';
