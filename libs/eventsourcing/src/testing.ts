export * from './store/event-store.contract';
