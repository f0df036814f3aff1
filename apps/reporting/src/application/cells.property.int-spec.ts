import { indicatorOf, Viewer } from '@cnrms/domain-reporting';
import { IntegrationEvent } from '@cnrms/messaging';
import { random } from '../testing/generated-history';
import { event } from '../testing/known-history';
import { answersFrom, createReportingDatabase, ReportingDatabase } from '../testing/reporting-database';
import { IndicatorRequest } from './indicator.service';
import { CELL_QUERIES } from './indicators/indicator-queries';

const HISTORIES = Number(process.env.CELLS_HISTORIES ?? 200);
const CODES = Object.keys(CELL_QUERIES);
/** The patient-month family (month, quarter and year cells); the others are the inclusion-based family and who is followed at the end of a period. */
const PATIENT_MONTH_CODES = [
  'active_caseload', 'women_share', 'psychologist_reach', 'psychologist_sessions_per_patient', 'social_worker_reach', 'social_work_interviews_per_patient', 'referrals',
];
const PARTNER_TYPES = ['CSAPA', 'CAARUD', 'HOSPITAL'];
/** Counted per network above the microstructure (`network-cells.ts`, `treating-gp-spans.ts`), from the cells below it. */
const PER_NETWORK_CODES = ['active_microstructures', 'involved_gps'];
/** Who is followed at the end of a period (`month-end-cells.ts`). */
const MONTH_END_CODES = ['lost_to_follow_up', 'patients_reviewed_share'];
/** Over the outcome window ending with a period (`hcv-screening-windows.ts`). */
const HCV_WINDOW_CODES = ['hcv_screening_acceptance'];
/** A short outcome window (the cells are written with it): screenings and rights opened a month or two after inclusion fall on both sides. */
const OUTCOME_WINDOW_MONTHS = 1;
const GRANULARITIES = ['MONTH', 'QUARTER', 'YEAR'] as const;
const SEXES = ['FEMALE', 'MALE', 'UNKNOWN'];
const AGE_BANDS = ['AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS'];
const KINDS = ['GP_CONSULTATION', 'PSYCHOLOGIST_SESSION', 'SOCIAL_WORK_INTERVIEW', 'PSYCHIATRIST_SESSION'];
const EXIT_REASONS = ['MOVED', 'GOALS_REACHED', 'LOST_TO_FOLLOW_UP', 'DECEASED'];
const GROUPINGS: string[][] = [
  [], ['SEX'], ['AGE_BAND'], ['NETWORK'], ['REGION'], ['MICROSTRUCTURE'], ['MICROSTRUCTURE_KIND', 'SEX'], ['NETWORK', 'AGE_BAND'], ['DEPARTMENT', 'SEX', 'AGE_BAND'],
  ['PARTNER_TYPE'], ['REGION', 'PARTNER_TYPE'], ['EXIT_REASON'], ['NETWORK', 'EXIT_REASON'],
];

/** The histories' months: 0 is October 2023, 14 December 2024 (a year's end and five quarters' inside). */
const LAST_MONTH = 14;
const day = (month: number, dayOfMonth: number) => {
  const calendar = month + 9;
  return `${2023 + Math.floor(calendar / 12)}-${String((calendar % 12) + 1).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
};

/**
 * A random history of its own ids (`h<n>-…`): one to three networks in two regions, microstructures of both
 * kinds and two departments, patients of every sex and age band, some included twice (a re-inclusion, maybe in
 * the same month with another age band), sessions of every kind (several in a month), assessments, exits, and
 * contacts recorded twice.
 */
function history(n: number, next: () => number): { events: IntegrationEvent[]; networkIds: string[]; microstructureIds: string[] } {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  const events: IntegrationEvent[] = [];
  const networks = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => ({ id: `h${n}-net-${i}`, region: pick(['Région A', 'Région B']) }));
  for (const network of networks) events.push(event('directory.NetworkCreated', network.id, { networkId: network.id, name: network.id, region: network.region, regionCode: null, departments: ['67', '68'] }));
  const microstructures = networks.flatMap((network) => Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => ({ id: `${network.id}-ms-${i}`, networkId: network.id })));
  for (const ms of microstructures) {
    const placed = { microstructureId: ms.id, networkId: ms.networkId, kind: pick(['ADDICTION', 'MENTAL_HEALTH']), department: pick(['67', '68']) };
    events.push(event('directory.MicrostructureCreated', ms.id, { ...placed, name: ms.id }));
    events.push(event('directory.MicrostructureOpened', ms.id, { ...placed, openedOn: '2023-09-01' }));
  }
  const patients = 1 + Math.floor(next() * 14);
  for (let p = 0; p < patients; p++) {
    const first = pick(microstructures);
    const sex = pick(SEXES);
    const inclusions = next() < 0.25 ? 2 : 1;
    // Now and then the second inclusion is in another microstructure, under the same patient id (followed in two
    // microstructures: in two month cells if in the same month, which the answers must see and take from the facts;
    // spread over two combinations in a quarter or a year, counted once beside the period cells).
    const second = next() < 0.3 ? pick(microstructures) : first;
    let month = Math.floor(next() * LAST_MONTH);
    for (let i = 0; i < inclusions; i++) {
      const ms = i === 0 ? first : second;
      const placed = { patientId: `h${n}-p-${p}`, microstructureId: ms.id, networkId: ms.networkId };
      const inclusionId = `h${n}-inc-${p}-${i}`;
      const includedDay = 1 + Math.floor(next() * 27);
      events.push(
        event('inclusions.PatientIncluded', placed.patientId, {
          inclusionId, ...placed, includedOn: day(month, includedDay), reasons: ['ADDICTION'], reinclusion: i > 0, sex, ageBand: pick(AGE_BANDS),
          // A GP of their microstructure, now and then one the history's networks share (counted once nationally).
      initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: [], daysOfUseLast30: 0 }, teamConsent: true, partnerSharingCount: 0,
      treatingGpId: next() < 0.25 ? `gp-h${n}-shared` : `gp-${ms.id}`,
        }),
      );
      const sessions = Math.floor(next() * 6);
      for (let s = 0; s < sessions; s++) {
        const heldMonth = Math.min(LAST_MONTH, month + Math.floor(next() * 3));
        events.push(
          event('inclusions.FollowUpSessionRecorded', placed.patientId, {
            sessionId: `${inclusionId}-ses-${s}`, inclusionId, ...placed, kind: pick(KINDS), heldOn: day(heldMonth, 1 + Math.floor(next() * 27)), professionalId: 'pro-1', durationMinutes: 30,
            // Screenings done or proposed and rights opened, some of them late (outside a short outcome window).
            outcomes: {
              screenings: next() < 0.3 ? [{ disease: 'HCV', status: pick(['DONE', 'PROPOSED']) }] : [],
              rights: next() < 0.2 ? [{ right: pick(['CSS', 'AME', 'HOUSING', 'INCOME']), status: pick(['GRANTED', 'APPLIED']) }] : [],
              referrals: next() < 0.2 ? [{ partnerId: 'partner-1', partnerType: pick(PARTNER_TYPES) }] : [],
              treatments: [],
            },
          }),
        );
      }
      // Now and then a session five months to a year on: past the retention's days (182, 365) or not, often in a later
      // batch than the inclusion's cells were computed in.
      const late = month + 5 + Math.floor(next() * 9);
      if (next() < 0.4 && late <= LAST_MONTH) {
        events.push(
          event('inclusions.FollowUpSessionRecorded', placed.patientId, {
            sessionId: `${inclusionId}-ses-late`, inclusionId, ...placed, kind: pick(KINDS), heldOn: day(late, 1 + Math.floor(next() * 27)), professionalId: 'pro-1', durationMinutes: 30,
            outcomes: { screenings: [], rights: [], referrals: [], treatments: [] },
          }),
        );
      }
      // Now and then a screening done and a right opened on the last day of the window (a month after the inclusion).
      if (next() < 0.15 && month + OUTCOME_WINDOW_MONTHS <= LAST_MONTH) {
        events.push(
          event('inclusions.FollowUpSessionRecorded', placed.patientId, {
            sessionId: `${inclusionId}-ses-window`, inclusionId, ...placed, kind: pick(KINDS), heldOn: day(month + OUTCOME_WINDOW_MONTHS, includedDay), professionalId: 'pro-1', durationMinutes: 30,
            outcomes: { screenings: [{ disease: 'HCV', status: 'DONE' }], rights: [{ right: 'CSS', status: 'GRANTED' }], referrals: [], treatments: [] },
          }),
        );
      }
      // Case reviews now and then, up to a year after the inclusion (in and out of the review window of later months).
      for (let r = 0; r < 2; r++) {
        if (next() < 0.3) {
          const meetingId = `${inclusionId}-meeting-${r}`;
          events.push(
            event('meetings.CaseReviewed', meetingId, {
              meetingId, microstructureId: ms.id, networkId: ms.networkId, patientId: placed.patientId, heldOn: day(Math.min(LAST_MONTH, month + Math.floor(next() * 12)), 1 + Math.floor(next() * 28)),
              decisions: ['NO_CHANGE'], nextReviewOn: '2025-06-01',
            }),
          );
        }
      }
      // Assessments at inclusion, M6 and M12 (the changes), some recorded late, out of order.
      for (const [timepoint, after] of [['INCLUSION', 0], ['M6', 6], ['M12', 12]] as const) {
        if (next() < 0.35) {
          events.push(
            event('inclusions.AssessmentRecorded', placed.patientId, {
              inclusionId, ...placed, timepoint, assessedOn: day(Math.min(LAST_MONTH, month + after), 5), daysOfUseLast30: Math.floor(next() * 30), qualityOfLifeScore: Math.floor(next() * 100),
              housing: 'STABLE', employment: 'EMPLOYED', healthCoverage: 'FULL',
            }),
          );
        }
      }
      // Exits: before a re-inclusion, now and then otherwise, and now and then recorded again (another day, another reason).
      // Now and then the first one in the inclusion's own month (the inclusion then ends no month: no month-end row).
      if (i + 1 < inclusions || next() < 0.2) {
        const exitedOn = next() < 0.15 ? day(month, Math.min(27, includedDay + 1)) : day(Math.min(LAST_MONTH, month + 2), 28);
        events.push(event('inclusions.ExitRecorded', placed.patientId, { inclusionId, ...placed, exitedOn, reason: pick(EXIT_REASONS) }));
        if (next() < 0.3) events.push(event('inclusions.ExitRecorded', placed.patientId, { inclusionId, ...placed, exitedOn: day(Math.min(LAST_MONTH, month + 1 + Math.floor(next() * 3)), 3), reason: pick(EXIT_REASONS) }));
      }
      // The re-inclusion: the same month half the time (two age bands in one month are not possible: one patient-month row).
      month = next() < 0.5 ? month : Math.min(LAST_MONTH, month + 3);
    }
  }
  // Now and then a contact recorded again under another event id, later (a stream replayed upstream): counted once.
  for (const contact of events.filter((e) => CONTACT_TYPES.includes(e.type) && next() < 0.1)) {
    const at = events.indexOf(contact) + 1 + Math.floor(next() * (events.length - events.indexOf(contact)));
    events.splice(at, 0, event(contact.type, contact.key, contact.payload as Record<string, unknown>));
  }
  return { events, networkIds: networks.map((network) => network.id), microstructureIds: microstructures.map((ms) => ms.id) };
}

const CONTACT_TYPES = ['inclusions.PatientIncluded', 'inclusions.FollowUpSessionRecorded', 'inclusions.AssessmentRecorded'];

/**
 * Property: on random histories, every indicator the cells answer gives, by month, quarter and year, for every
 * grouping and filter tried, for the team (exact figures) and for a funder (cell key method, suppression), the
 * same answer from the cells as from the facts (`REPORTING_CELLS=false`), and the cells were used: the
 * patient-month family's (`month-cells.ts`, `period-cells.ts`) and the inclusion-based family's
 * (`inclusion-cells.ts`: the funder's answers above the microstructure).
 */
describe(`cells: the same answers as the facts, on ${HISTORIES} random histories`, () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_cells_property', { outcomeWindowMonths: OUTCOME_WINDOW_MONTHS });
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  async function feedInBatches(events: IntegrationEvent[], next: () => number): Promise<void> {
    // Some histories event by event (applyEvent), others in batches (applyRange), others taken in first and applied
    // by two or three appliers side by side, in short ranges (`part-appliers.ts`): all keep the cells.
    const path = next();
    if (path < 0.35) return db.feed(events);
    if (path > 0.7) return db.feedThroughAppliers(events, { parts: 2 + Math.floor(next() * 2), span: 5 + Math.floor(next() * 60), batch: 1 + Math.floor(next() * 80) });
    for (let start = 0; start < events.length; ) {
      const batch = events.slice(start, start + 1 + Math.floor(next() * 40));
      start += batch.length;
      await db.feedBatch(batch);
    }
  }

  /** Whether a patient of these networks has contacts in two microstructures in one month of the period (then a monthly answer comes from the facts). */
  const sharedIn = async (networkIds: string[], from: string) =>
    (
      await db.database.pool.query(
        `select 1 from reporting_facts_1.patient_months where network_id = any($1) and month >= $2::date group by patient_id, month having count(*) > 1 limit 1`,
        [networkIds, from],
      )
    ).rowCount! > 0;

  /** Whether a patient of these networks is spread over two combinations in a quarter or a year (what the period cells must count once). */
  const spreadIn = async (networkIds: string[]) =>
    (await db.database.pool.query(`select 1 from reporting_facts_1.patient_periods where network_id = any($1) and spread limit 1`, [networkIds])).rowCount! > 0;

  it('answers every indicator, period, grouping and filter alike from the cells and from the facts', async () => {
    // Published as configured (suppression hides most of a small history's figures outside the team), and with no
    // threshold (every perturbed figure shown: the cells read above the microstructure compared figure by figure).
    const published = { cells: db.service(), facts: db.service({ cells: false }) };
    const unsuppressed = { cells: db.service({ suppressionThreshold: 1 }), facts: db.service({ cells: false, suppressionThreshold: 1 }) };
    const usedBefore = {
      month: await answersFrom('month_cells'),
      period: await answersFrom('period_cells'),
      inclusion: await answersFrom('inclusion_cells'),
      monthEnd: await answersFrom('month_end_cells'),
      microstructures: await answersFrom('network_microstructures'),
      gpSpans: await answersFrom('treating_gp_spans'),
      hcvWindows: await answersFrom('hcv_screening_cells'),
      packages: await answersFrom('package_cells'),
    };
    let compared = 0;
    let comparedPatientMonths = 0;
    let expectedFromPeriodCells = 0;
    let expectedFromMonthCells = 0;
    let expectedFromInclusionCells = 0;
    let expectedFromMonthEndCells = 0;
    let expectedFromNetworkMicrostructures = 0;
    let expectedFromGpSpans = 0;
    let expectedFromHcvWindows = 0;
    let expectedFromPackageCells = 0;
    let packagesBelowNetwork = 0;
    let perMicrostructureMonths = 0;
    let perMicrostructurePeriods = 0;
    let exitsRecordedAgain = 0;
    let contactsRecordedAgain = 0;
    let spreadHistories = 0;
    for (let n = 1; n <= HISTORIES; n++) {
      const next = random(n * 7919);
      const { events, networkIds, microstructureIds } = history(n, next);
      const exits = events.filter((e) => e.type === 'inclusions.ExitRecorded').map((e) => (e.payload as { inclusionId: string }).inclusionId);
      if (new Set(exits).size < exits.length) exitsRecordedAgain++;
      const contacts = events.filter((e) => CONTACT_TYPES.includes(e.type)).map((e) => JSON.stringify(e.payload));
      if (new Set(contacts).size < contacts.length) contactsRecordedAgain++;
      await feedInBatches(events, next);
      const team: Viewer = { roles: ['professional'], networkIds, microstructureIds } as Viewer;
      const funder: Viewer = { roles: ['funder'], networkIds, microstructureIds: [] } as Viewer;
      const from = day(Math.floor(next() * 8), 1 + Math.floor(next() * 27));
      const shared = await sharedIn(networkIds, from.slice(0, 8) + '01');
      if (await spreadIn(networkIds)) spreadHistories++;
      const grouping = GROUPINGS[Math.floor(next() * GROUPINGS.length)];
      const filter =
        next() < 0.3 ? { sexes: ['FEMALE', 'UNKNOWN'] } : next() < 0.3 ? { ageBands: AGE_BANDS.filter(() => next() < 0.5) } : next() < 0.2 ? { partnerTypes: PARTNER_TYPES.filter(() => next() < 0.5) } : {};
      for (const code of CODES) {
        // The grouping and filter as far as the indicator takes them (active_microstructures is not cut by patient).
        const { dimensions, granularities } = indicatorOf(code);
        for (const granularity of GRANULARITIES.filter((g) => granularities.includes(g))) {
          const request: IndicatorRequest = {
            period: { from, to: '2024-12-31', granularity },
            groupBy: grouping.filter((dimension) => (dimensions as readonly string[]).includes(dimension)),
            filter:
              ('sexes' in filter && !dimensions.includes('SEX')) || ('ageBands' in filter && !dimensions.includes('AGE_BAND')) || ('partnerTypes' in filter && !dimensions.includes('PARTNER_TYPE'))
                ? {}
                : filter,
          };
          for (const [viewer, { cells, facts }] of [[team, published], [funder, published], [funder, unsuppressed]] as const) {
            const expected = await facts.answer(viewer, code, request);
            const actual = await cells.answer(viewer, code, request);
            const asked = { history: n, code, viewer: viewer.roles[0], threshold: cells === unsuppressed.cells ? 1 : 'default', request };
            expect({ ...asked, answer: actual }).toEqual({ ...asked, answer: expected });
            compared++;
            const belowNetwork = viewer === team || ['MICROSTRUCTURE', 'MICROSTRUCTURE_KIND', 'DEPARTMENT'].some((d) => request.groupBy!.includes(d));
            if (code === 'package_payments') {
              // Above the microstructure the package cells, below it the patient-years (with the period cells).
              if (belowNetwork) packagesBelowNetwork++;
              else expectedFromPackageCells++;
            } else if (code === 'active_microstructures') {
              // Exact from the cells at every level: per network above the microstructure, else per microstructure.
              if (!belowNetwork) expectedFromNetworkMicrostructures++;
              else if (granularity === 'MONTH') perMicrostructureMonths++;
              else perMicrostructurePeriods++;
            } else if (code === 'involved_gps') {
              if (!belowNetwork) expectedFromGpSpans++;
            } else if (PATIENT_MONTH_CODES.includes(code)) {
              comparedPatientMonths++;
              if (granularity === 'MONTH' && !shared) expectedFromMonthCells++;
              else if (granularity !== 'MONTH') expectedFromPeriodCells++;
            } else if (!belowNetwork) {
              if (MONTH_END_CODES.includes(code)) expectedFromMonthEndCells++;
              else if (HCV_WINDOW_CODES.includes(code)) expectedFromHcvWindows++;
              else expectedFromInclusionCells++;
            }
          }
        }
      }
    }
    // Every indicator by month, quarter and year, but the packages by year only.
    expect(compared).toBe(HISTORIES * 3 * ((CODES.length - 1) * GRANULARITIES.length + 1));
    expect(CODES.length).toBeGreaterThan(PATIENT_MONTH_CODES.length);
    // Spread patients were met (the case the period cells must count once) in a good share of the histories, and exits and contacts recorded again.
    expect(spreadHistories).toBeGreaterThan(HISTORIES / 10);
    expect(exitsRecordedAgain).toBeGreaterThan(HISTORIES / 10);
    expect(contactsRecordedAgain).toBeGreaterThan(HISTORIES / 10);
    // Quarters and years: every patient-month answer from the period cells (they need no fallback), and every package.
    expect((await answersFrom('period_cells')) - usedBefore.period).toBe(expectedFromPeriodCells + perMicrostructurePeriods + packagesBelowNetwork);
    expect(expectedFromPeriodCells).toBe(HISTORIES * 3 * PATIENT_MONTH_CODES.length * (GRANULARITIES.length - 1));
    // The packages: every funder's answer above the microstructure from the package cells.
    expect((await answersFrom('package_cells')) - usedBefore.packages).toBe(expectedFromPackageCells);
    expect(expectedFromPackageCells + packagesBelowNetwork).toBe(HISTORIES * 3);
    expect(expectedFromPackageCells).toBeGreaterThan(HISTORIES / 2);
    // Microstructures and treating GPs counted per network: every answer above the microstructure (the team's
    // own too, for the microstructures, from the cells kept per microstructure).
    expect((await answersFrom('network_microstructures')) - usedBefore.microstructures).toBe(expectedFromNetworkMicrostructures);
    expect((await answersFrom('treating_gp_spans')) - usedBefore.gpSpans).toBe(expectedFromGpSpans);
    expect(expectedFromNetworkMicrostructures).toBeGreaterThan(HISTORIES);
    expect(expectedFromGpSpans).toBeGreaterThan(HISTORIES);
    expect(perMicrostructurePeriods).toBeGreaterThan(HISTORIES);
    expect(perMicrostructureMonths).toBeGreaterThan(HISTORIES / 2);
    expect(CODES).toEqual(expect.arrayContaining([...PER_NETWORK_CODES, ...HCV_WINDOW_CODES]));
    // The HCV screening windows answered every funder's answer above the microstructure.
    expect((await answersFrom('hcv_screening_cells')) - usedBefore.hcvWindows).toBe(expectedFromHcvWindows);
    expect(expectedFromHcvWindows).toBeGreaterThan(HISTORIES);
    // The inclusion cells answered every funder's answer above the microstructure (a team's reads the facts).
    expect((await answersFrom('inclusion_cells')) - usedBefore.inclusion).toBe(expectedFromInclusionCells);
    expect(expectedFromInclusionCells).toBeGreaterThan(0);
    // The month-end cells answered the funder's answers above the microstructure, but those of a period after the
    // last month with a contact yet (the first histories' last months).
    const usedByMonthEnds = (await answersFrom('month_end_cells')) - usedBefore.monthEnd;
    expect(usedByMonthEnds).toBeLessThanOrEqual(expectedFromMonthEndCells);
    expect(usedByMonthEnds).toBeGreaterThan(expectedFromMonthEndCells * 0.9);
    // Months: the month cells answered at least every comparison whose period has no patient in two microstructures in
    // a month (a filter may leave out one of such a patient's cells, and then the cells answer too), and not all of
    // them: the answers that read such a patient's two cells came from the facts.
    const usedByMonth = (await answersFrom('month_cells')) - usedBefore.month;
    expect(expectedFromMonthCells).toBeGreaterThan(comparedPatientMonths / GRANULARITIES.length / 2);
    expect(usedByMonth - perMicrostructureMonths).toBeGreaterThanOrEqual(expectedFromMonthCells);
    expect(usedByMonth - perMicrostructureMonths).toBeLessThan(comparedPatientMonths / GRANULARITIES.length);
  }, 1_800_000);
});
