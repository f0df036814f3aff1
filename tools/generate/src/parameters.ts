import { parisYesterday } from './plan/dates';
import { defaultParameters, SIZES_2023, SIZES_PLANNED } from './plan/plan';
import { PlanParameters } from './plan/plan.types';

/** Named sizes: the 2023 network, the planning figure, and a small one for trying things out. */
export const SIZES = {
  small: { regions: 3, networks: 3, microstructures: 8, patientsPerYear: 300, months: 12 },
  '2023': { ...SIZES_2023, months: 24 },
  // 90 months at the planning figure: just over 5 million integration events (72 months give 4.0 million).
  planned: { ...SIZES_PLANNED, months: 90 },
} as const;

const FLAGS: Record<string, keyof PlanParameters> = {
  '--seed': 'seed',
  '--regions': 'regions',
  '--networks': 'networks',
  '--microstructures': 'microstructures',
  '--patients-per-year': 'patientsPerYear',
  '--months': 'months',
  '--end-date': 'endDate',
};

/** `--size small|2023|planned` then any single parameter (`--months 36`); the history ends yesterday in France unless `--end-date`. */
export function parametersFromArgs(args: readonly string[]): PlanParameters {
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const size = (value('--size') ?? '2023') as keyof typeof SIZES;
  if (!SIZES[size]) throw new Error(`--size: one of ${Object.keys(SIZES).join(', ')}`);
  const parameters: PlanParameters = defaultParameters({ ...SIZES[size], endDate: parisYesterday() });
  for (const [flag, key] of Object.entries(FLAGS)) {
    const raw = value(flag);
    if (raw === undefined) continue;
    if (key === 'endDate') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw new Error(`${flag}: AAAA-MM-JJ`);
      if (raw > parisYesterday()) throw new Error(`${flag}: the services refuse dates after today; the history must end by ${parisYesterday()}`);
      parameters.endDate = raw;
    } else {
      const number = Number(raw);
      if (!Number.isInteger(number) || number < (key === 'seed' ? 0 : 1)) throw new Error(`${flag}: a positive integer`);
      (parameters as unknown as Record<string, number>)[key] = number;
    }
  }
  return parameters;
}

export const flagValue = (args: readonly string[], flag: string): string | undefined => {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
};
