/** Today's date in France (Europe/Paris), `YYYY-MM-DD`: the day registrations close on, and sessions are held. */
export function todayInFrance(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
