export const REPORTING_SETTINGS = Symbol('REPORTING_SETTINGS');
/** The clock "today" is read from (Europe/Paris day); tests give a fixed one. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
