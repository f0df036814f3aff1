import { addDays, addMonths } from './dates';
import { address, firstName, generatedRpps, place, REGIONS, surname } from './fictional';
import { PartnerType, PlanParameters, PlannedDirectory, PlannedMicrostructure, PlannedNetwork, PlannedProfessional, Profession, PracticeSiteType } from './plan.types';
import { Random, subSeed } from './random';

/** First day of the history: `months` months before the end. */
export const historyStart = (parameters: PlanParameters): string => addDays(addMonths(parameters.endDate, -parameters.months), 1);

/** Networks spread over regions in turn; each region's departments shared out between its networks. */
function planNetworks(parameters: PlanParameters, random: Random): PlannedNetwork[] {
  const regions = REGIONS.slice(0, Math.max(1, Math.min(parameters.regions, REGIONS.length)));
  const count = Math.max(parameters.networks, regions.length);
  const perRegion = regions.map((_, index) => Math.floor(count / regions.length) + (index < count % regions.length ? 1 : 0));
  return regions.flatMap((region, r) => {
    const n = Math.min(perRegion[r], region.departments.length);
    return Array.from({ length: n }, (_, k) => ({
      id: random.uuid(),
      name: n === 1 ? `Réseau fictif ${region.name}` : `Réseau fictif ${region.name} — ${place(random)}`,
      region: region.name,
      departments: region.departments.filter((_, d) => d % n === k),
    }));
  });
}

const SITE_TYPES: Record<PracticeSiteType, number> = { GROUP_PRACTICE: 40, MSP: 35, SOLO_PRACTICE: 15, HEALTH_CENTRE: 10 };

function team(random: Random, nextRpps: () => number): PlannedProfessional[] {
  // About 2.4 GPs per microstructure (350 GPs for 143 in 2023), a psychologist, a social worker most of
  // the time, a psychiatrist's monthly sessions in a few.
  const professions: Profession[] = ['GENERAL_PRACTITIONER'];
  const extraGps = random.weighted({ 0: 20, 1: 35, 2: 30, 3: 15 });
  for (let i = 0; i < Number(extraGps); i++) professions.push('GENERAL_PRACTITIONER');
  if (random.chance(0.95)) professions.push('PSYCHOLOGIST');
  if (random.chance(0.85)) professions.push('SOCIAL_WORKER');
  if (random.chance(0.1)) professions.push('PSYCHIATRIST');
  return professions.map((profession) => {
    const sex = random.chance(0.6) ? 'FEMALE' : 'MALE';
    const needsRpps = profession !== 'SOCIAL_WORKER';
    return { id: random.uuid(), firstName: firstName(random, sex), lastName: surname(random), profession, ...(needsRpps && { rpps: generatedRpps(nextRpps()) }) };
  });
}

function partners(random: Random, kind: PlannedMicrostructure['kind'], city: string) {
  const types: PartnerType[] = kind === 'ADDICTION' ? ['CSAPA', 'PHARMACY'] : ['CMP', 'PHARMACY'];
  if (random.chance(0.6)) types.push(kind === 'ADDICTION' ? 'CAARUD' : 'ASSOCIATION');
  if (random.chance(0.7)) types.push('HOSPITAL');
  if (random.chance(0.5)) types.push('SOCIAL_SERVICE');
  const label: Record<PartnerType, string> = { CSAPA: 'CSAPA fictif', CAARUD: 'CAARUD fictif', HOSPITAL: 'Hôpital fictif', CMP: 'CMP fictif', PHARMACY: 'Pharmacie fictive', ASSOCIATION: 'Association fictive', SOCIAL_SERVICE: 'Service social fictif', OTHER: 'Partenaire fictif' };
  return types.map((type) => ({ id: random.uuid(), name: `${label[type]} de ${city}`, type }));
}

/**
 * The directory of a national history: networks, then microstructures of both kinds with their
 * practice site, team and partners. Most open in the history's first month, the others over its first
 * two thirds (new microstructures are an indicator too).
 */
export function planDirectory(parameters: PlanParameters): PlannedDirectory {
  const random = new Random(subSeed(parameters.seed, 'directory'));
  const networks = planNetworks(parameters, random);
  const start = historyStart(parameters);
  // A block of 5,000 numbers per seed (mod 200): two plans of different seeds on one platform do not claim the same RPPS.
  let rpps = (parameters.seed % 200) * 5_000;
  const nextRpps = () => ++rpps;
  const microstructures: PlannedMicrostructure[] = [];
  for (let index = 0; index < parameters.microstructures; index++) {
    const network = networks[index % networks.length];
    const kind = random.chance(0.7) ? 'ADDICTION' : 'MENTAL_HEALTH';
    const city = place(random);
    const department = random.pick(network.departments);
    const siteType = random.weighted(SITE_TYPES);
    const siteName = { GROUP_PRACTICE: 'Cabinet médical', MSP: 'MSP', SOLO_PRACTICE: 'Cabinet du docteur', HEALTH_CENTRE: 'Centre de santé' }[siteType];
    const late = random.chance(0.3);
    const drawn = late ? addDays(start, random.int(30, Math.max(31, Math.floor(parameters.months * 30.4 * (2 / 3))))) : addDays(start, random.int(0, 20));
    const openedOn = drawn < parameters.endDate ? drawn : addDays(parameters.endDate, -1);
    const members = team(random, nextRpps);
    const gp = members[0];
    microstructures.push({
      id: random.uuid(),
      networkId: network.id,
      name: `Microstructure fictive ${kind === 'ADDICTION' ? 'addictions' : 'santé mentale'} de ${city} (${index + 1})`,
      kind,
      department,
      site: { name: siteType === 'SOLO_PRACTICE' ? `${siteName} ${gp.lastName}` : `${siteName} de ${city}`, type: siteType, address: address(random, department, city) },
      openedOn,
      members,
      partners: partners(random, kind, city),
      size: Math.exp(random.normal() * 0.35),
    });
  }
  return { networks, microstructures };
}
