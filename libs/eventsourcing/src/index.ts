export * from './store/event-store.port';
export * from './store/errors';
export * from './in-memory/in-memory-event-store';
export * from './postgres/postgres-event-store';
export { migrateEventStore } from './postgres/event-store.migrations';
export * from './command/command-handler';
export * from './command/upcasting';
export * from './projections/projection';
export * from './projections/projection-runner';
