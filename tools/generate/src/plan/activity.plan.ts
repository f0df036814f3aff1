import { addDays, addMonths, firstOfMonth, lastOfMonth, monthOf, monthsFrom, onWeekday } from './dates';
import { historyStart } from './directory.plan';
import { NewPatient, newPatient, planInclusion } from './patient.plan';
import { ActivityAct, MeetingAct, NetworkMeetingAct, PlanParameters, PlannedDirectory, PlannedMicrostructure, ReviewDecision } from './plan.types';
import { Random, subSeed } from './random';

interface FollowedPatient {
  patient: NewPatient;
  includedOn: string;
  exitOn?: string;
  lastReviewedOn?: string;
}

const DECISIONS: Record<ReviewDecision, number> = { NO_CHANGE: 35, ADJUST_CARE_PLAN: 35, REFERRAL: 12, SOCIAL_ACTION: 14, HOSPITALISATION: 4 };

/**
 * One microstructure's activity, month after month: new inclusions (each planned whole at once, its
 * acts filed under their months), re-inclusions of some patients who left, and the monthly case-review
 * meeting (held about 88 % of months, cancelled 4 %, none the rest). Its own generator, so that a
 * microstructure's history does not depend on how many others there are.
 */
class MicrostructureActivity {
  private readonly random: Random;
  private readonly pending = new Map<string, ActivityAct[]>();
  private readonly followed: FollowedPatient[] = [];
  private readonly names = new Set<string>();
  private readonly returning = new Map<string, { patient: NewPatient; on: string }[]>();
  private order = 0;
  private lastMeetingOn?: string;

  constructor(
    readonly microstructure: PlannedMicrostructure,
    private readonly inclusionsPerMonth: number,
    private readonly parameters: PlanParameters,
  ) {
    // Seeded by name, not id: the demo's ids come from the directory and change from one install to the next.
    this.random = new Random(subSeed(parameters.seed, `microstructure:${microstructure.name}`));
  }

  /** This month's acts, in date order (the order of creation within a day). */
  month(month: string): ActivityAct[] {
    const first = firstOfMonth(month);
    const last = lastOfMonth(month) < this.parameters.endDate ? lastOfMonth(month) : this.parameters.endDate;
    const from = this.microstructure.openedOn > first ? addDays(this.microstructure.openedOn, 1) : first;
    if (from <= last) {
      // Inclusions grow during a microstructure's first year, as a new team's caseload does.
      const ramp = Math.min(1, 0.5 + months(this.microstructure.openedOn, first) / 24);
      const count = this.random.poisson(this.inclusionsPerMonth * ramp * (from === first ? 1 : (days(from, last) + 1) / 30));
      const dates = Array.from({ length: count }, () => addDays(from, this.random.int(0, days(from, last)))).sort();
      for (const on of dates) this.include(newPatient(this.random, this.microstructure, on, ++this.order, this.names), on, false);
      for (const back of this.returning.get(month) ?? []) this.include(back.patient, back.on, true);
      this.meeting(month, last);
    }
    const acts = this.pending.get(month) ?? [];
    this.pending.delete(month);
    return acts.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  }

  openOn(day: string): boolean {
    return this.microstructure.openedOn < day;
  }

  private include(patient: NewPatient, on: string, reinclusion: boolean) {
    const planned = planInclusion({ microstructure: this.microstructure, random: this.random, endDate: this.parameters.endDate, uuid: () => this.random.uuid() }, patient, on, reinclusion);
    for (const act of planned.acts) this.file(act);
    this.followed.push({ patient, includedOn: on, exitOn: planned.exitOn });
    // Some patients who stopped come back months later: a re-inclusion, same patient, new inclusion.
    const mayReturn = planned.exitReason === 'LOST_TO_FOLLOW_UP' || planned.exitReason === 'PATIENT_CHOICE' || planned.exitReason === 'OTHER';
    if (planned.exitOn && mayReturn && this.random.chance(0.15)) {
      const backOn = addDays(planned.exitOn, this.random.int(45, 300));
      if (backOn <= this.parameters.endDate) {
        const list = this.returning.get(monthOf(backOn)) ?? [];
        list.push({ patient, on: backOn });
        this.returning.set(monthOf(backOn), list);
      }
    }
  }

  private file(act: ActivityAct) {
    const month = monthOf(act.on);
    const list = this.pending.get(month) ?? [];
    list.push(act);
    this.pending.set(month, list);
  }

  private meeting(month: string, last: string) {
    const random = this.random;
    const scheduledOn = onWeekday(addDays(firstOfMonth(month), random.int(7, 21)));
    if (scheduledOn > last || !this.openOn(scheduledOn)) return;
    const outcome = random.weighted({ HELD: 88, CANCELLED: 4, NONE: 8 });
    if (outcome === 'NONE') return;
    const gp = this.microstructure.members[0];
    const base = { kind: 'meeting' as const, meetingId: random.uuid(), microstructureId: this.microstructure.id, networkId: this.microstructure.networkId, by: gp.id, scheduledOn };
    if (outcome === 'CANCELLED') {
      // Called off a few days before, never before the month began.
      const cancelledOn = addDays(scheduledOn, -random.int(1, 5));
      this.file({ ...base, on: cancelledOn < firstOfMonth(month) ? firstOfMonth(month) : cancelledOn } satisfies MeetingAct);
      return;
    }
    const open = this.followed.filter((f) => f.includedOn < scheduledOn && (!f.exitOn || f.exitOn > scheduledOn));
    // New patients first, then those not reviewed for longest.
    const since = this.lastMeetingOn ?? '0000-00-00';
    const ranked = [...open].sort((a, b) => rank(a, since) - rank(b, since) || (a.lastReviewedOn ?? '').localeCompare(b.lastReviewedOn ?? ''));
    const reviewed = ranked.slice(0, Math.min(open.length, 3 + random.poisson(4)));
    const attendees = this.microstructure.members.filter((m, index) => index === 0 || random.chance(0.85)).map((m) => m.id);
    const reviews = reviewed.map((f) => {
      f.lastReviewedOn = scheduledOn;
      const decisions = new Set<ReviewDecision>([random.weighted(DECISIONS)]);
      if (random.chance(0.25)) decisions.add(random.weighted(DECISIONS));
      // « No change » stands alone (the meetings domain refuses it beside another decision).
      if (decisions.size > 1) decisions.delete('NO_CHANGE');
      return { patientId: f.patient.patientId, decisions: [...decisions], nextReviewOn: addMonths(scheduledOn, random.int(1, 3)) };
    });
    this.lastMeetingOn = scheduledOn;
    this.file({ ...base, on: scheduledOn, held: { durationMinutes: random.pick([60, 75, 90, 90, 120]), attendeeIds: attendees, reviews } });
  }
}

const rank = (f: FollowedPatient, since: string) => (f.includedOn >= since ? 0 : f.lastReviewedOn === undefined ? 1 : 2);
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
const months = (from: string, to: string) => Math.max(0, days(from, to) / 30.44);

/** Quarterly exchange meetings of each network, attended by one professional of about half its open microstructures. */
function networkMeetings(random: Random, directory: PlannedDirectory, month: string, endDate: string, activities: MicrostructureActivity[]): NetworkMeetingAct[] {
  if (Number(month.slice(5)) % 3 !== 2) return [];
  return directory.networks.flatMap((network) => {
    const on = onWeekday(addDays(firstOfMonth(month), random.int(5, 20)));
    const open = activities.filter((a) => a.microstructure.networkId === network.id && a.openOn(on));
    if (on > endDate || open.length < 2) return [];
    const attending = open.filter(() => random.chance(0.5));
    if (attending.length === 0) return [];
    const attendees = attending.map((a) => ({ professionalId: random.pick(a.microstructure.members).id, microstructureId: a.microstructure.id }));
    return [{ kind: 'network-meeting', on, networkMeetingId: random.uuid(), networkId: network.id, format: random.chance(0.6) ? 'VIDEO' : 'IN_PERSON', durationMinutes: random.pick([90, 120, 180]), attendees }];
  });
}

/**
 * The activity of a directory, month by month (a batch of acts per month, in date order): what the
 * drivers send. Lazy, so that a national history of millions of acts never sits in memory whole.
 * Steady state: a patient is followed about 14 months, so the active caseload of a year is about twice
 * the year's inclusions; `patientsPerYear` sets the inclusions accordingly.
 */
export function* planActivity(directory: PlannedDirectory, parameters: PlanParameters): Generator<{ month: string; acts: ActivityAct[] }> {
  const perMonth = parameters.patientsPerYear / 2 / 12 / Math.max(1, directory.microstructures.length);
  const activities = directory.microstructures.map((m) => new MicrostructureActivity(m, perMonth * m.size, parameters));
  const random = new Random(subSeed(parameters.seed, 'networks'));
  for (const month of monthsFrom(historyStart(parameters), parameters.endDate)) {
    const acts: ActivityAct[] = activities.flatMap((activity) => activity.month(month));
    acts.push(...networkMeetings(random, directory, month, parameters.endDate, activities));
    yield { month, acts: acts.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)) };
  }
}
