export * from './store/event-store.contract';
export * from './projections/projection-spec';
