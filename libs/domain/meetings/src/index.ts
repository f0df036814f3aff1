export type { Command } from '@cnrms/decider';
export * from './values';
export * from './dates';
export * from './streams';
export * from './meeting.decider';
export * from './network-meeting.decider';
export * from './review-suggestions';
export * from './meeting-gaps';
export * from './event-types';
