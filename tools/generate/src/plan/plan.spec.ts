import { platformContracts } from '@cnrms/contracts';
import { actEvents, EnvelopeFactory, microstructureDirectoryEvents, networkEvents } from '../events/integration-events';
import { addDays, addMonths } from './dates';
import { ageBandAt } from './patient.plan';
import { historyStart, planHistory, summarise } from './plan';
import { ActivityAct, PlanParameters, Profession, SESSION_KIND_OF } from './plan.types';
import { Random } from './random';

const parameters: PlanParameters = { seed: 42, regions: 3, networks: 4, microstructures: 12, patientsPerYear: 900, months: 24, endDate: '2026-11-30' };
const actsOf = (p: PlanParameters) => [...planHistory(p).months()].flatMap((m) => m.acts);
const luhn = (digits: string) =>
  [...digits].reverse().reduce((sum, d, i) => {
    const n = Number(d) * (i % 2 === 1 ? 2 : 1);
    return sum + (n > 9 ? n - 9 : n);
  }, 0) %
    10 ===
  0;

describe('Random (mulberry32)', () => {
  it('gives the same draws for the same seed, others for another', () => {
    const draws = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.next())(new Random(seed)));
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
  });
});

describe('planHistory', () => {
  const plan = planHistory(parameters);
  const acts = actsOf(parameters);

  describe('with the same parameters', () => {
    it('plans the same directory and the same acts, in the same order', () => {
      expect(planHistory(parameters).directory).toEqual(plan.directory);
      expect(actsOf(parameters)).toEqual(acts);
    });
    it('plans another history for another seed', () => {
      expect(actsOf({ ...parameters, seed: 43 })).not.toEqual(acts);
    });
  });

  describe('its sizes', () => {
    it('has the networks, regions and microstructures asked for', () => {
      expect(plan.directory.networks).toHaveLength(4);
      expect(new Set(plan.directory.networks.map((n) => n.region)).size).toBe(3);
      expect(plan.directory.microstructures).toHaveLength(12);
      expect(new Set(plan.directory.microstructures.map((m) => m.kind))).toEqual(new Set(['ADDICTION', 'MENTAL_HEALTH']));
    });
    it('reaches about the active caseload asked for in the last year', () => {
      const lastYear = addMonths(parameters.endDate, -12);
      const active = new Set(acts.filter((a) => a.kind !== 'meeting' && a.kind !== 'network-meeting' && a.on > lastYear).map((a) => (a as { patientId: string }).patientId));
      expect(active.size).toBeGreaterThan(parameters.patientsPerYear * 0.6);
      expect(active.size).toBeLessThan(parameters.patientsPerYear * 1.4);
    });
    it('gives each followed patient tens of sessions a year', () => {
      const summary = summarise(plan);
      const perInclusion = summary.acts.session / summary.acts.inclusion;
      expect(perInclusion).toBeGreaterThan(8);
      expect(perInclusion).toBeLessThan(40);
    });
  });

  describe('its dates', () => {
    it('are all within the history, never after its end', () => {
      const start = historyStart(parameters);
      expect(acts.every((a) => a.on >= start && a.on <= parameters.endDate)).toBe(true);
      expect(plan.directory.microstructures.every((m) => m.openedOn <= parameters.endDate)).toBe(true);
    });
    it('come in date order', () => {
      expect(acts.every((a, i) => i === 0 || acts[i - 1].on <= a.on)).toBe(true);
    });
  });

  describe('its acts, checked against the domain rules', () => {
    const microstructures = new Map(plan.directory.microstructures.map((m) => [m.id, m]));
    const professionOf = new Map(plan.directory.microstructures.flatMap((m) => m.members.map((p) => [p.id, p.profession] as [string, Profession])));

    it('includes only through a GP of the team, after the opening, one open inclusion per patient', () => {
      const open = new Map<string, string>();
      for (const act of acts) {
        if (act.kind === 'inclusion') {
          const m = microstructures.get(act.microstructureId)!;
          expect(professionOf.get(act.by)).toBe('GENERAL_PRACTITIONER');
          expect(m.members.some((p) => p.id === act.treatingGpId)).toBe(true);
          expect(act.on > m.openedOn).toBe(true);
          expect(open.has(act.patientId)).toBe(false);
          expect(act.consentGivenOn <= act.on).toBe(true);
          expect(act.ageBand).toBe(ageBandAt(act.identity.birthDate, act.on));
          open.set(act.patientId, act.inclusionId);
        }
        if (act.kind === 'exit') open.delete(act.patientId);
      }
    });

    it('records sessions and assessments between the inclusion and the exit, each professional their own kind', () => {
      const state = new Map<string, { includedOn: string; exitedOn?: string; lastContact: string; timepoints: Set<string> }>();
      for (const act of acts) {
        if (act.kind === 'inclusion') state.set(act.inclusionId, { includedOn: act.on, lastContact: act.on, timepoints: new Set() });
        if (act.kind !== 'session' && act.kind !== 'assessment' && act.kind !== 'exit') continue;
        const inclusion = state.get(act.inclusionId)!;
        expect(inclusion).toBeDefined();
        expect(inclusion.exitedOn).toBeUndefined();
        expect(act.on >= inclusion.includedOn).toBe(true);
        expect(microstructures.get(act.microstructureId)!.members.some((p) => p.id === act.by)).toBe(true);
        if (act.kind === 'session') {
          expect(SESSION_KIND_OF[professionOf.get(act.by)!]).toBe(act.sessionKind);
          for (const s of act.outcomes.screenings) if (s.result) expect(s.status).toBe('DONE');
          for (const r of act.outcomes.referrals) expect(microstructures.get(act.microstructureId)!.partners.some((p) => p.id === r.partnerId && p.type === r.partnerType)).toBe(true);
        }
        if (act.kind === 'assessment') {
          expect(inclusion.timepoints.has(act.timepoint)).toBe(false);
          inclusion.timepoints.add(act.timepoint);
        }
        if (act.kind === 'exit') {
          expect(act.on >= inclusion.lastContact).toBe(true);
          inclusion.exitedOn = act.on;
        } else if (act.on > inclusion.lastContact) inclusion.lastContact = act.on;
      }
    });

    it('holds meetings with members of the team, reviewing patients included on that day', () => {
      const meetings = acts.filter((a): a is Extract<ActivityAct, { kind: 'meeting' }> => a.kind === 'meeting');
      expect(meetings.length).toBeGreaterThan(0);
      const windows = new Map<string, { from: string; to?: string }[]>();
      for (const act of acts) {
        if (act.kind === 'inclusion') windows.set(act.patientId, [...(windows.get(act.patientId) ?? []), { from: act.on }]);
        if (act.kind === 'exit') windows.get(act.patientId)!.at(-1)!.to = act.on;
        if (act.kind !== 'meeting' || !act.held) continue;
        const m = microstructures.get(act.microstructureId)!;
        expect(act.on > m.openedOn).toBe(true);
        expect(act.held.attendeeIds.every((id) => m.members.some((p) => p.id === id))).toBe(true);
        for (const review of act.held.reviews) {
          expect(windows.get(review.patientId)!.some((w) => w.from < act.on && (!w.to || w.to > act.on))).toBe(true);
          expect(review.nextReviewOn > act.on).toBe(true);
          expect(review.decisions.length === 1 || !review.decisions.includes('NO_CHANGE')).toBe(true);
        }
      }
      const held = meetings.filter((m) => m.held).length;
      expect(held / meetings.length).toBeGreaterThan(0.85);
    });
  });

  describe('its people', () => {
    const inclusions = acts.filter((a): a is Extract<ActivityAct, { kind: 'inclusion' }> => a.kind === 'inclusion' && !a.reinclusion);
    it('has plausible shares of women and of age bands', () => {
      const women = inclusions.filter((i) => i.identity.sex === 'FEMALE').length / inclusions.length;
      expect(women).toBeGreaterThan(0.3);
      expect(women).toBeLessThan(0.55);
      const middle = inclusions.filter((i) => ['AGE_25_34', 'AGE_35_44', 'AGE_45_54'].includes(i.ageBand)).length / inclusions.length;
      expect(middle).toBeGreaterThan(0.55);
    });
    it('gives professionals valid fictional RPPS numbers, all different', () => {
      const rpps = plan.directory.microstructures.flatMap((m) => m.members.flatMap((p) => (p.rpps ? [p.rpps] : [])));
      expect(rpps.every((n) => /^1088\d{7}$/.test(n) && luhn(n))).toBe(true);
      expect(new Set(rpps).size).toBe(rpps.length);
    });
    it('never gives two patients of a team the same name', () => {
      const names = inclusions.map((i) => `${i.microstructureId}|${i.identity.lastName}|${i.identity.firstName}`);
      expect(new Set(names).size).toBe(names.length);
    });
    it('proposes HCV screening, and about 80 % of those proposed are screened', () => {
      const sessions = acts.filter((a): a is Extract<ActivityAct, { kind: 'session' }> => a.kind === 'session');
      const proposed = new Set(sessions.filter((s) => s.outcomes.screenings.some((x) => x.disease === 'HCV' && x.status === 'PROPOSED')).map((s) => s.inclusionId));
      const done = new Set(sessions.filter((s) => s.outcomes.screenings.some((x) => x.disease === 'HCV' && x.status === 'DONE')).map((s) => s.inclusionId));
      expect(proposed.size).toBeGreaterThan(20);
      expect(done.size / proposed.size).toBeGreaterThan(0.6);
      expect(done.size / proposed.size).toBeLessThan(0.9);
    });
  });

  describe('its integration events', () => {
    it('all match their contracts', () => {
      const registry = platformContracts();
      const envelopes = new EnvelopeFactory(new Random(1));
      const events = [...networkEvents(plan.directory, envelopes, addDays(historyStart(parameters), -1)), ...plan.directory.microstructures.flatMap((m) => microstructureDirectoryEvents(m, envelopes)), ...acts.flatMap((a) => actEvents(a, envelopes))];
      for (const event of events) expect(() => registry.validateForPublish(event.type, event.version, event.payload)).not.toThrow();
      expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    });
  });
});
