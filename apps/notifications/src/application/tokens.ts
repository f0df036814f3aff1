export const NOTIFICATION_SETTINGS = Symbol('NOTIFICATION_SETTINGS');
export const CLOCK = Symbol('CLOCK');
/** The time (tests move it). */
export type Clock = () => Date;
