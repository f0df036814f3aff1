import { planActivity } from './activity.plan';
import { parisYesterday } from './dates';
import { historyStart, planDirectory } from './directory.plan';
import { ActivityAct, PlanParameters, PlannedDirectory } from './plan.types';

export { planActivity } from './activity.plan';
export { historyStart, planDirectory } from './directory.plan';

/** The figures of 2023 (docs/domain.md): 7 regions, ~143 microstructures, ~5,500 patients a year. */
export const SIZES_2023 = { regions: 7, networks: 12, microstructures: 143, patientsPerYear: 5_500 } as const;
/** The planning figure for ten years of growth: 1,000 microstructures, 50,000 patients a year. */
export const SIZES_PLANNED = { regions: 12, networks: 40, microstructures: 1_000, patientsPerYear: 50_000 } as const;

export function defaultParameters(overrides: Partial<PlanParameters> = {}): PlanParameters {
  return { seed: 1, ...SIZES_2023, months: 24, endDate: parisYesterday(), ...overrides };
}

export interface Plan {
  parameters: PlanParameters;
  directory: PlannedDirectory;
  /** Month batches, lazily generated: iterate once. */
  months: () => Generator<{ month: string; acts: ActivityAct[] }>;
}

/** A national history: same parameters (seed included) → same plan, act for act. */
export function planHistory(parameters: PlanParameters): Plan {
  const directory = planDirectory(parameters);
  return { parameters, directory, months: () => planActivity(directory, parameters) };
}

/** The activity of `directory` (the demo's, for instance) with the plan's parameters. */
export function planOnDirectory(directory: PlannedDirectory, parameters: PlanParameters): Plan {
  return { parameters, directory, months: () => planActivity(directory, parameters) };
}

export interface PlanSummary {
  from: string;
  to: string;
  networks: number;
  microstructures: number;
  professionals: number;
  acts: Record<ActivityAct['kind'], number>;
  /** Patients reviewed in the meetings held (one CaseReviewed event each). */
  reviews: number;
  patients: number;
  /** Integration events the bulk driver writes for this plan. */
  events: number;
}

/** Counts of a plan, by walking it once. */
export function summarise(plan: Plan): PlanSummary {
  const acts: PlanSummary['acts'] = { inclusion: 0, session: 0, assessment: 0, exit: 0, meeting: 0, 'network-meeting': 0 };
  const patients = new Set<string>();
  let reviews = 0;
  for (const { acts: batch } of plan.months()) {
    for (const act of batch) {
      acts[act.kind]++;
      if (act.kind === 'inclusion') patients.add(act.patientId);
      if (act.kind === 'meeting') reviews += act.held?.reviews.length ?? 0;
    }
  }
  const directoryEvents = plan.directory.networks.length + plan.directory.microstructures.reduce((sum, m) => sum + 2 + 2 * m.members.length + m.partners.length, 0);
  return {
    from: historyStart(plan.parameters),
    to: plan.parameters.endDate,
    networks: plan.directory.networks.length,
    microstructures: plan.directory.microstructures.length,
    professionals: plan.directory.microstructures.reduce((sum, m) => sum + m.members.length, 0),
    acts,
    reviews,
    patients: patients.size,
    events: directoryEvents + Object.values(acts).reduce((sum, n) => sum + n, 0) + reviews,
  };
}
