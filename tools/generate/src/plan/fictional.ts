import { Random } from './random';

/**
 * Fictional names, places and numbers. Regions and department codes are real (the directory checks
 * them); everything a person could be recognised by is invented: surnames are made of fantasy
 * syllables nobody bears, places are invented, RPPS numbers use a prefix the demo does not, social
 * security numbers the commune code 999 that no commune has.
 */

export const REGIONS: readonly { code: string; name: string; departments: string[] }[] = [
  // The 2023 regions first, then the rest of metropolitan France (Corsica left out).
  { code: '44', name: 'Grand Est', departments: ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'] },
  { code: '32', name: 'Hauts-de-France', departments: ['02', '59', '60', '62', '80'] },
  { code: '11', name: 'Île-de-France', departments: ['75', '77', '78', '91', '92', '93', '94', '95'] },
  { code: '27', name: 'Bourgogne-Franche-Comté', departments: ['21', '25', '39', '58', '70', '71', '89', '90'] },
  { code: '76', name: 'Occitanie', departments: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'] },
  { code: '93', name: 'Provence-Alpes-Côte d’Azur', departments: ['04', '05', '06', '13', '83', '84'] },
  { code: '84', name: 'Auvergne-Rhône-Alpes', departments: ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'] },
  { code: '75', name: 'Nouvelle-Aquitaine', departments: ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'] },
  { code: '53', name: 'Bretagne', departments: ['22', '29', '35', '56'] },
  { code: '52', name: 'Pays de la Loire', departments: ['44', '49', '53', '72', '85'] },
  { code: '28', name: 'Normandie', departments: ['14', '27', '50', '61', '76'] },
  { code: '24', name: 'Centre-Val de Loire', departments: ['18', '28', '36', '37', '41', '45'] },
];

const SURNAME_HEADS = ['Lune', 'Brume', 'Cendre', 'Givre', 'Orme', 'Pierre', 'Saule', 'Vent', 'Ronce', 'Mousse', 'Argent', 'Cime', 'Bruy', 'Fleur', 'Nacre', 'Soufre', 'Ambre', 'Grêle', 'Sable', 'Tourbe'];
const SURNAME_TAILS = ['brise', 'cœur', 'vive', 'ciel', 'lande', 'pâle', 'fond', 'mont', 'val', 'lac', 'sombre', 'clair', 'rive', 'bois', 'roc', 'plume', 'lys', 'serre', 'noue', 'dor'];
const FEMALE_FIRST = ['Aurélie', 'Camille', 'Chloé', 'Claire', 'Élodie', 'Emma', 'Inès', 'Julie', 'Léa', 'Lucie', 'Manon', 'Marie', 'Nadia', 'Nathalie', 'Pauline', 'Sarah', 'Sophie', 'Yasmina', 'Zoé', 'Agathe', 'Fatou', 'Hélène', 'Louise', 'Margaux'];
const MALE_FIRST = ['Antoine', 'Bruno', 'David', 'Éric', 'Farid', 'Franck', 'Hugo', 'Jérôme', 'Julien', 'Karim', 'Laurent', 'Léo', 'Lucas', 'Mathieu', 'Mehdi', 'Nicolas', 'Olivier', 'Paul', 'Pierre', 'Romain', 'Samuel', 'Thomas', 'Yann', 'Bakary'];
const PLACE_HEADS = ['Val', 'Mont', 'Bourg', 'Pont', 'Roche', 'Font', 'Champ', 'Bois', 'Clair', 'Haut', 'Mal', 'Beau', 'Grand', 'Vieux', 'Port'];
const PLACE_TAILS = ['brume', 'songe', 'fictif', 'rêve', 'lune', 'mirage', 'chimère', 'nuage', 'conte', 'fable', 'féerie', 'écho', 'reflet', 'ombre', 'givre'];
const STREETS = ['rue des Songes', 'place de la Fable', 'avenue du Mirage', 'chemin des Chimères', 'quai de l’Écho', 'impasse du Conte', 'allée des Reflets', 'boulevard Imaginaire'];

export const surname = (random: Random): string => random.pick(SURNAME_HEADS) + random.pick(SURNAME_TAILS);
export const firstName = (random: Random, sex: 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN'): string =>
  random.pick(sex === 'FEMALE' ? FEMALE_FIRST : sex === 'MALE' ? MALE_FIRST : random.chance(0.5) ? FEMALE_FIRST : MALE_FIRST);
export const place = (random: Random): string => random.pick(PLACE_HEADS) + random.pick(PLACE_TAILS);

export function address(random: Random, department: string, city: string) {
  return { street: `${random.int(1, 120)} ${random.pick(STREETS)}`, postalCode: `${department}${String(random.int(0, 9))}${String(random.int(0, 99)).padStart(2, '0')}`, city };
}

/** A syntactically valid RPPS (10 digits and a Luhn key), one per index, under the generator's prefix 1088. */
export function generatedRpps(index: number): string {
  const body = `1088${String(index).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) digit *= 2;
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** A NIR with its key (97 − number mod 97), in commune 999 of the department: no such commune exists. */
export function fictionalNir(sex: 'FEMALE' | 'MALE', birthDate: string, department: string, order: number): string {
  const body = `${sex === 'MALE' ? 1 : 2}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${department}999${String(order % 1000).padStart(3, '0')}`;
  const key = 97 - [...body].reduce((rest, digit) => (rest * 10 + Number(digit)) % 97, 0);
  return body + String(key).padStart(2, '0');
}
