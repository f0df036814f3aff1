import { ValidationError } from '@cnrms/decider';

/**
 * The regions of France with their official (INSEE) codes and the departments of each. A regional network
 * names its region by code (`44`) — or by its official name, in any case and with or without accents or
 * separators (`Grand Est`, `GRAND_EST`), which is turned into the code: one region, one code.
 */
export interface Region {
  code: string;
  name: string;
  departments: readonly string[];
}

export const REGIONS: readonly Region[] = Object.freeze([
  { code: '01', name: 'Guadeloupe', departments: ['971'] },
  { code: '02', name: 'Martinique', departments: ['972'] },
  { code: '03', name: 'Guyane', departments: ['973'] },
  { code: '04', name: 'La Réunion', departments: ['974'] },
  { code: '06', name: 'Mayotte', departments: ['976'] },
  { code: '11', name: 'Île-de-France', departments: ['75', '77', '78', '91', '92', '93', '94', '95'] },
  { code: '24', name: 'Centre-Val de Loire', departments: ['18', '28', '36', '37', '41', '45'] },
  { code: '27', name: 'Bourgogne-Franche-Comté', departments: ['21', '25', '39', '58', '70', '71', '89', '90'] },
  { code: '28', name: 'Normandie', departments: ['14', '27', '50', '61', '76'] },
  { code: '32', name: 'Hauts-de-France', departments: ['02', '59', '60', '62', '80'] },
  { code: '44', name: 'Grand Est', departments: ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'] },
  { code: '52', name: 'Pays de la Loire', departments: ['44', '49', '53', '72', '85'] },
  { code: '53', name: 'Bretagne', departments: ['22', '29', '35', '56'] },
  { code: '75', name: 'Nouvelle-Aquitaine', departments: ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'] },
  { code: '76', name: 'Occitanie', departments: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'] },
  { code: '84', name: 'Auvergne-Rhône-Alpes', departments: ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'] },
  { code: '93', name: 'Provence-Alpes-Côte d’Azur', departments: ['04', '05', '06', '13', '83', '84'] },
  { code: '94', name: 'Corse', departments: ['2A', '2B'] },
]);

/** Saint-Pierre-et-Miquelon (975) is a collectivity of no region: any network may cover it. */
const OUTSIDE_REGIONS: readonly string[] = ['975'];

const keyOf = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The region named by a code or an official name (any case, accents, separators), or undefined. */
export function regionOf(value: string): Region | undefined {
  const trimmed = value.trim();
  return REGIONS.find((region) => region.code === trimmed) ?? REGIONS.find((region) => keyOf(region.name) === keyOf(trimmed));
}

/** The region's INSEE code (`INVALID_REGION` otherwise, listing the codes). */
export function requireRegionCode(value: unknown, field = 'region'): Region {
  const region = typeof value === 'string' && value.trim() !== '' ? regionOf(value) : undefined;
  if (region) return region;
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError('REGION_REQUIRED', 'La région est obligatoire (code officiel, par exemple 44 pour le Grand Est).', field);
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  throw new ValidationError(
    'INVALID_REGION',
    `« ${shown} » n’est pas une région : indiquez son code officiel (${REGIONS.map((r) => `${r.code} ${r.name}`).join(', ')}).`,
    field,
  );
}

/** Every department covered lies in the network's region (`DEPARTMENT_NOT_IN_REGION`). */
export function requireDepartmentsInRegion(departments: readonly string[], region: Region, field = 'departments'): void {
  const outside = departments.find((department) => !region.departments.includes(department) && !OUTSIDE_REGIONS.includes(department));
  if (outside !== undefined) {
    throw new ValidationError(
      'DEPARTMENT_NOT_IN_REGION',
      `Le département ${outside} n’est pas dans la région ${region.name} (${region.code}) : ses départements sont ${region.departments.join(', ')}.`,
      field,
    );
  }
}
