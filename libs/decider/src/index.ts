export * from './decider';
export * from './errors';
export * from './values';
export * from './time-rules';
