export type { Command } from '@cnrms/decider';
export * from './values';
export * from './streams';
export * from './training/commands';
export * from './training/events';
export * from './training/state';
export * from './training/decide';
export * from './event-types';
export * from './national-days/national-day-request';
