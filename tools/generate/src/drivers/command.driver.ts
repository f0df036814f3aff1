import { DEV_JWT_SECRET, Identity, issueToken } from '@cnrms/auth';
import { ActivityAct, MeetingAct, NetworkMeetingAct } from '../plan/plan.types';
import { Plan } from '../plan/plan';
import { loadDirectory } from './directory.commands';
import { GatewayClient } from './gateway.client';

/**
 * Sends a plan through the gateway's GraphQL mutations, the real command path: the directory as an
 * administrator, each act with the token of the professional who performs it (a GP includes, each
 * professional records their own kind of session), month after month. Within a month the patients'
 * acts run `concurrency` patients at a time (one patient's acts in order), then the month's meetings.
 * Idempotent enough to be run again: the directory is matched by name, a patient already in the
 * team's caseload (by name) is skipped with all their acts, a meeting already on its date too.
 */
export interface CommandDriverOptions {
  plan: Plan;
  gatewayUrl: string;
  secret?: string;
  concurrency: number;
  ifEmpty: boolean;
  /** The plan's directory already exists with these very ids (the demo's): do not create it. */
  directoryExists?: boolean;
  /** How long one call waits for the other services to learn what it needs (care team, inclusions). */
  waitMs?: number;
  log: (line: string) => void;
}

export interface CommandDriverResult {
  sent: number;
  skipped: number;
  seconds: number;
}

export async function sendThroughGateway(options: CommandDriverOptions): Promise<CommandDriverResult> {
  const { plan, log } = options;
  const secret = options.secret ?? DEV_JWT_SECRET;
  const tokenOf = (identity: Identity) => issueToken(identity, { secret, expiresIn: '12h' });
  const client = new GatewayClient(options.gatewayUrl, options.waitMs ?? 60_000);
  const admin = tokenOf({ userId: 'system:generator', displayName: 'Générateur de données fictives', roles: ['admin'], networkIds: [], microstructureIds: [] });
  const started = Date.now();

  if (options.ifEmpty && !options.directoryExists) {
    const { networks } = await client.data<{ networks: { totalCount: number } }>(admin, '{ networks(page: { first: 1 }) { totalCount } }');
    if (networks.totalCount > 0) {
      log(`[generate] the directory already holds ${networks.totalCount} network(s): nothing sent (--if-empty)`);
      return { sent: 0, skipped: 0, seconds: 0 };
    }
  }
  const ids = options.directoryExists ? new IdMap() : await loadDirectory(client, admin, plan.directory, log);
  const memberToken = new Map<string, string>();
  for (const m of plan.directory.microstructures) {
    for (const p of m.members) {
      memberToken.set(p.id, tokenOf({ userId: `generated:${ids.get(p.id)}`, roles: ['professional'], networkIds: [ids.get(m.networkId)], microstructureIds: [ids.get(m.id)], professionalId: ids.get(p.id) }));
    }
  }
  const coordinatorToken = (networkId: string) => tokenOf({ userId: `generated:coordination:${networkId}`, roles: ['regional_coordinator'], networkIds: [ids.get(networkId)], microstructureIds: [] });
  const known = await knownPatients(client, plan, ids, memberToken);
  const activity = new ActivitySender(client, ids, memberToken, coordinatorToken, known);

  for (const { month, acts } of plan.months()) {
    const lanes = new Map<string, ActivityAct[]>();
    const meetings: (MeetingAct | NetworkMeetingAct)[] = [];
    for (const act of acts) {
      if (act.kind === 'meeting' || act.kind === 'network-meeting') meetings.push(act);
      else lanes.set(act.patientId, [...(lanes.get(act.patientId) ?? []), act]);
    }
    await inParallel([...lanes.values()], options.concurrency, (lane) => activity.lane(lane));
    await inParallel(meetings, Math.min(2, options.concurrency), (meeting) => activity.meeting(meeting));
    const seconds = (Date.now() - started) / 1000;
    log(`[generate] ${month}: ${activity.sent} commands sent, ${activity.skipped} skipped (already there), ${seconds.toFixed(0)} s, ${(activity.sent / seconds).toFixed(0)} commands/s`);
  }
  return { sent: activity.sent, skipped: activity.skipped, seconds: (Date.now() - started) / 1000 };
}

/** The plan's ids → the ids the services gave (the same id when nothing was mapped: the demo's directory). */
export class IdMap {
  private readonly map = new Map<string, string>();
  get = (planId: string): string => this.map.get(planId) ?? planId;
  set = (planId: string, serverId: string): void => void this.map.set(planId, serverId);
  has = (planId: string): boolean => this.map.has(planId);
}

async function inParallel<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

/** Patients already in each team's caseload, by name → their id (a second run skips them). */
async function knownPatients(client: GatewayClient, plan: Plan, ids: IdMap, memberToken: Map<string, string>): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  const query = 'query($ms: ID!, $after: String) { caseload(microstructureId: $ms, filter: { status: ALL }, page: { first: 100, after: $after }) { pageInfo { hasNextPage endCursor } nodes { patient { id identity { lastName firstName } } } } }';
  type Page = { caseload: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { patient: { id: string; identity: { lastName: string; firstName: string } | null } }[] } };
  for (const m of plan.directory.microstructures) {
    const gp = m.members.find((p) => p.profession === 'GENERAL_PRACTITIONER');
    if (!gp) continue;
    let after: string | null = null;
    do {
      const page: Page = await client.asMember<Page>(memberToken.get(gp.id)!, query, { ms: ids.get(m.id), after });
      for (const node of page.caseload.nodes) if (node.patient.identity) known.set(`${m.id}|${node.patient.identity.lastName}|${node.patient.identity.firstName}`, node.patient.id);
      after = page.caseload.pageInfo.hasNextPage ? page.caseload.pageInfo.endCursor : null;
    } while (after);
  }
  return known;
}

/** READ_MODEL_BEHIND on a mutation whose answer is not needed: recorded is enough. */
const shown = async () => ({});

class ActivitySender {
  sent = 0;
  skipped = 0;
  /** Patients skipped because a previous run loaded them. */
  private readonly skippedPatients = new Set<string>();

  constructor(
    private readonly client: GatewayClient,
    private readonly ids: IdMap,
    private readonly memberToken: Map<string, string>,
    private readonly coordinatorToken: (networkId: string) => string,
    private readonly known: Map<string, string>,
  ) {}

  async lane(acts: ActivityAct[]): Promise<void> {
    for (const act of acts) {
      if (act.kind === 'meeting' || act.kind === 'network-meeting') continue;
      if (act.kind === 'inclusion' && !act.reinclusion) {
        const existing = this.known.get(`${act.microstructureId}|${act.identity.lastName}|${act.identity.firstName}`);
        if (existing) {
          this.ids.set(act.patientId, existing);
          this.skippedPatients.add(act.patientId);
        }
      }
      if (this.skippedPatients.has(act.patientId)) {
        this.skipped++;
        continue;
      }
      await this.patientAct(act);
      this.sent++;
    }
  }

  private async patientAct(act: Exclude<ActivityAct, MeetingAct | NetworkMeetingAct>): Promise<void> {
    const token = this.memberToken.get(act.by)!;
    const inclusionId = this.ids.get(act.inclusionId);
    switch (act.kind) {
      case 'inclusion': {
        const recorded = () => this.findInclusion(token, act);
        const { includePatient } = await this.client.record<{ includePatient: { id: string; patientId: string } }>(token, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id patientId } }', {
          input: {
            microstructureId: this.ids.get(act.microstructureId),
            ...(act.reinclusion ? { patientId: this.ids.get(act.patientId) } : { patient: act.identity }),
            includedOn: act.on,
            reasons: act.reasons,
            treatingGpId: this.ids.get(act.treatingGpId),
            consent: { givenOn: act.consentGivenOn, teamSharing: true, partnerSharing: act.partnerSharing.map(this.ids.get) },
            initialSituation: act.initialSituation,
          },
        }, recorded);
        this.ids.set(act.inclusionId, includePatient.id);
        this.ids.set(act.patientId, includePatient.patientId);
        return;
      }
      case 'session': {
        const { screenings, rights, referrals } = act.outcomes;
        await this.client.record(token, 'mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id } }', {
          input: { inclusionId, kind: act.sessionKind, heldOn: act.on, durationMinutes: act.durationMinutes, outcomes: { screenings, rights, referrals: referrals.map((r) => ({ partnerId: this.ids.get(r.partnerId) })) } },
        }, shown);
        return;
      }
      case 'assessment': {
        const { timepoint, on, daysOfUseLast30, qualityOfLifeScore, housing, employment, healthCoverage } = act;
        await this.client.record(token, 'mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) { id } }', {
          input: { inclusionId, timepoint, assessedOn: on, daysOfUseLast30, qualityOfLifeScore, housing, employment, healthCoverage },
        }, shown);
        return;
      }
      case 'exit':
        await this.client.record(token, 'mutation($input: RecordExitInput!) { recordExit(input: $input) { id } }', { input: { inclusionId, exitedOn: act.on, reason: act.reason } }, shown);
        return;
    }
  }

  /** The inclusion an includePatient answered READ_MODEL_BEHIND for, once the caseload shows it. */
  private async findInclusion(token: string, act: Extract<ActivityAct, { kind: 'inclusion' }>): Promise<{ includePatient: { id: string; patientId: string } } | null> {
    const query = 'query($ms: ID!, $after: String) { caseload(microstructureId: $ms, filter: { status: ALL }, page: { first: 100, after: $after }) { pageInfo { hasNextPage endCursor } nodes { patient { id identity { lastName firstName } } inclusion { id includedOn } } } }';
    type Page = { caseload: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { patient: { id: string; identity: { lastName: string; firstName: string } | null }; inclusion: { id: string; includedOn: string } }[] } };
    let after: string | null = null;
    do {
      const page: Page = await this.client.asMember<Page>(token, query, { ms: this.ids.get(act.microstructureId), after });
      const node = page.caseload.nodes.find(
        (n) => n.inclusion.includedOn === act.on && (act.reinclusion ? n.patient.id === this.ids.get(act.patientId) : n.patient.identity?.lastName === act.identity.lastName && n.patient.identity?.firstName === act.identity.firstName),
      );
      if (node) return { includePatient: { id: node.inclusion.id, patientId: node.patient.id } };
      after = page.caseload.pageInfo.hasNextPage ? page.caseload.pageInfo.endCursor : null;
    } while (after);
    return null;
  }

  async meeting(act: MeetingAct | NetworkMeetingAct): Promise<void> {
    if (act.kind === 'network-meeting') {
      const coordinator = this.coordinatorToken(act.networkId);
      const held = await this.client.asMember<{ networkMeetings: unknown[] }>(coordinator, 'query($n: ID!, $on: String!) { networkMeetings(networkId: $n, from: $on, to: $on) { id } }', { n: this.ids.get(act.networkId), on: act.on });
      if (held.networkMeetings.length > 0) {
        this.skipped++;
        return;
      }
      await this.client.record(coordinator, 'mutation($input: RecordNetworkMeetingInput!) { recordNetworkMeeting(input: $input) { id } }', {
        input: {
          networkId: this.ids.get(act.networkId),
          heldOn: act.on,
          topics: ['OTHER'],
          note: 'Échanges de pratiques (données générées)',
          format: act.format,
          durationMinutes: act.durationMinutes,
          attendees: act.attendees.map((a) => ({ professionalId: this.ids.get(a.professionalId), microstructureId: this.ids.get(a.microstructureId) })),
        },
      }, shown);
      this.sent++;
      return;
    }
    const token = this.memberToken.get(act.by)!;
    const microstructureId = this.ids.get(act.microstructureId);
    const existing = await this.client.asMember<{ meetings: { scheduledOn: string }[] }>(token, 'query($ms: ID!, $on: String!) { meetings(microstructureId: $ms, from: $on, to: $on) { scheduledOn } }', { ms: microstructureId, on: act.scheduledOn });
    if (existing.meetings.length > 0) {
      this.skipped++;
      return;
    }
    const scheduled = async () => {
      const { meetings } = await this.client.asMember<{ meetings: { id: string }[] }>(token, 'query($ms: ID!, $on: String!) { meetings(microstructureId: $ms, from: $on, to: $on) { id } }', { ms: microstructureId, on: act.scheduledOn });
      return meetings[0] ? { scheduleMeeting: meetings[0] } : null;
    };
    const { scheduleMeeting } = await this.client.record<{ scheduleMeeting: { id: string } }>(token, 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }', {
      input: { microstructureId, scheduledOn: act.scheduledOn, format: 'IN_PERSON', place: 'Salle de réunion du cabinet', expectedAttendeeIds: act.held?.attendeeIds.map(this.ids.get) ?? [] },
    }, scheduled);
    if (!act.held) {
      await this.client.record(token, 'mutation($id: ID!, $reason: String!) { cancelMeeting(meetingId: $id, reason: $reason) { id } }', { id: scheduleMeeting.id, reason: 'Équipe indisponible (données générées)' }, shown);
    } else {
      const { durationMinutes, attendeeIds, reviews } = act.held;
      await this.client.record(token, 'mutation($input: HoldMeetingInput!) { holdMeeting(input: $input) { id } }', {
        input: {
          meetingId: scheduleMeeting.id,
          heldOn: act.on,
          durationMinutes,
          attendeeIds: attendeeIds.map(this.ids.get),
          reviews: reviews.map((r, index) => ({ patientId: this.ids.get(r.patientId), decisions: r.decisions, nextReviewOn: r.nextReviewOn, ...(index % 3 === 0 && { summary: 'Situation examinée en équipe (texte fictif, données générées).' }) })),
        },
      }, shown);
    }
    this.sent += 2;
  }
}
