export * from './envelope';
export * from './message-bus.port';
export * from './migrations';
export * from './consume';
export * from './postgres-bus';
export * from './kafka-bus';
export * from './relay';
export * from './create-bus';
