import { ValidationError } from '@cnrms/decider';

// The shared validators, re-exported so that the domain's callers keep one import.
export { requireId, isIsoDate, requireDate, isIsoTimestamp, requireTimestamp } from '@cnrms/decider';

/**
 * Value validation shared by the deciders and the GraphQL layer. Each `require…` function takes
 * what came from outside (hence `unknown`), returns the normalised value, or throws a
 * `ValidationError` whose message is for a person.
 */

export const NAME_MAX_LENGTH = 200;
export const TEXT_MAX_LENGTH = 1000;

interface TextRule {
  field: string;
  /** French subject with its article, e.g. « Le nom du réseau ». */
  label: string;
  requiredCode: string;
  tooLongCode: string;
  max: number;
}

function requireText(value: unknown, rule: TextRule): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new ValidationError(rule.requiredCode, `${rule.label} est obligatoire.`, rule.field);
  if (text.length > rule.max) {
    throw new ValidationError(rule.tooLongCode, `${rule.label} ne doit pas dépasser ${rule.max} caractères.`, rule.field);
  }
  return text;
}

/** A trimmed, non-empty name of at most `NAME_MAX_LENGTH` characters. */
export function requireName(value: unknown, field = 'name', label = 'Le nom'): string {
  return requireText(value, { field, label, requiredCode: 'NAME_REQUIRED', tooLongCode: 'NAME_TOO_LONG', max: NAME_MAX_LENGTH });
}

export function requireRegion(value: unknown, field = 'region'): string {
  return requireText(value, { field, label: 'Le nom de la région', requiredCode: 'REGION_REQUIRED', tooLongCode: 'NAME_TOO_LONG', max: NAME_MAX_LENGTH });
}

/** A free-text reason (closure of a microstructure, end of a membership). */
export function requireReason(value: unknown, field = 'reason'): string {
  return requireText(value, { field, label: 'Le motif', requiredCode: 'REASON_REQUIRED', tooLongCode: 'TEXT_TOO_LONG', max: TEXT_MAX_LENGTH });
}

/** An optional free text: `undefined` when absent or blank. */
export function optionalText(value: unknown, field: string, label: string): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  return requireText(value, { field, label, requiredCode: 'TEXT_REQUIRED', tooLongCode: 'TEXT_TOO_LONG', max: TEXT_MAX_LENGTH });
}

// ---- Departments ----

// 975 (Saint-Pierre-et-Miquelon) is a collectivity rather than a department, but health
// registers use the code, so it is accepted with the others.
const OVERSEAS_CODES: readonly string[] = ['971', '972', '973', '974', '975', '976'];

/** 01–95 without 20 (Corsica is 2A and 2B), 2A, 2B, 971–976. */
export function isDepartmentCode(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value === '2A' || value === '2B') return true;
  if (OVERSEAS_CODES.includes(value)) return true;
  if (!/^\d{2}$/.test(value)) return false;
  const number = Number(value);
  return number >= 1 && number <= 95 && number !== 20;
}

/** Trims and upper-cases (`2a` → `2A`) before checking. */
export function requireDepartment(value: unknown, field = 'department'): string {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!isDepartmentCode(code)) {
    const shown = typeof value === 'string' ? `« ${value} »` : 'La valeur reçue';
    throw new ValidationError(
      'INVALID_DEPARTMENT',
      `${shown} n’est pas un code de département valide (01 à 95, 2A ou 2B pour la Corse, 971 à 976 pour l’outre-mer).`,
      field,
    );
  }
  return code;
}

/** At least one department, each valid, none twice; returned sorted so that sets compare as arrays. */
export function requireDepartments(value: unknown, field = 'departments'): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ValidationError('DEPARTMENTS_REQUIRED', 'Au moins un département couvert doit être indiqué.', field);
  }
  const codes = value.map((code) => requireDepartment(code, field));
  const duplicate = codes.find((code, index) => codes.indexOf(code) !== index);
  if (duplicate) throw new ValidationError('DUPLICATE_DEPARTMENT', `Le département ${duplicate} est indiqué plusieurs fois.`, field);
  return [...codes].sort();
}

// ---- Addresses ----

export interface Address {
  street: string;
  postalCode: string;
  city: string;
}

export function requirePostalCode(value: unknown, field = 'postalCode'): string {
  const code = typeof value === 'string' ? value.trim() : '';
  if (!/^\d{5}$/.test(code)) throw new ValidationError('INVALID_POSTAL_CODE', 'Le code postal doit comporter 5 chiffres.', field);
  return code;
}

export function requireAddress(value: unknown, field = 'address'): Address {
  const address = (value ?? {}) as Partial<Record<keyof Address, unknown>>;
  return {
    street: requireText(address.street, { field: `${field}.street`, label: 'L’adresse (rue)', requiredCode: 'ADDRESS_REQUIRED', tooLongCode: 'TEXT_TOO_LONG', max: NAME_MAX_LENGTH }),
    postalCode: requirePostalCode(address.postalCode, `${field}.postalCode`),
    city: requireText(address.city, { field: `${field}.city`, label: 'La commune', requiredCode: 'ADDRESS_REQUIRED', tooLongCode: 'TEXT_TOO_LONG', max: NAME_MAX_LENGTH }),
  };
}

/**
 * The departments a postal code may belong to, from its prefix (Corsica's 20xxx may be 2A or 2B).
 * A handful of communes carry a neighbouring department's postal code, so this is meant for a
 * warning in the interface, not for refusing a command.
 */
export function departmentsForPostalCode(postalCode: string): string[] {
  if (!/^\d{5}$/.test(postalCode)) return [];
  if (postalCode.startsWith('20')) return ['2A', '2B'];
  if (postalCode.startsWith('97')) return [postalCode.slice(0, 3)];
  return [postalCode.slice(0, 2)];
}

export function isPostalCodeInDepartment(postalCode: string, department: string): boolean {
  return departmentsForPostalCode(postalCode).includes(department);
}

// ---- Professional identifiers ----

/** The Luhn check used for the key of an RPPS number. */
export function hasValidLuhnKey(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function isValidRpps(value: unknown): value is string {
  return typeof value === 'string' && /^\d{11}$/.test(value) && hasValidLuhnKey(value);
}

/** 11 digits with a valid Luhn key; spaces are ignored. */
export function requireRpps(value: unknown, field = 'rpps'): string {
  const rpps = typeof value === 'string' ? value.replace(/\s/g, '') : '';
  if (!/^\d{11}$/.test(rpps)) throw new ValidationError('INVALID_RPPS', 'Le numéro RPPS doit comporter 11 chiffres.', field);
  if (!hasValidLuhnKey(rpps)) {
    throw new ValidationError('INVALID_RPPS', 'Le numéro RPPS est invalide : sa clé de contrôle ne correspond pas. Vérifiez la saisie.', field);
  }
  return rpps;
}

const ADELI_PATTERN = /^(\d{2}|2A|2B)\d{7}$/;

export function isValidAdeli(value: unknown): value is string {
  return typeof value === 'string' && ADELI_PATTERN.test(value);
}

/** 9 characters: the department (two digits, 2A or 2B) then 7 digits; spaces ignored, upper-cased. */
export function requireAdeli(value: unknown, field = 'adeli'): string {
  const adeli = typeof value === 'string' ? value.replace(/\s/g, '').toUpperCase() : '';
  if (!isValidAdeli(adeli)) {
    throw new ValidationError(
      'INVALID_ADELI',
      'Le numéro ADELI doit comporter 9 caractères : le département (2 chiffres, 2A ou 2B) suivi de 7 chiffres.',
      field,
    );
  }
  return adeli;
}

export function requireEmail(value: unknown, field = 'email'): string {
  const email = typeof value === 'string' ? value.trim() : '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > NAME_MAX_LENGTH) {
    throw new ValidationError('INVALID_EMAIL', 'L’adresse électronique n’est pas valide.', field);
  }
  return email;
}

export function optionalEmail(value: unknown, field = 'email'): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  return requireEmail(value, field);
}

// ---- Enumerations ----

function requireOneOf<T extends string>(values: readonly T[], value: unknown, code: string, field: string, what: string): T {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? ` : « ${value} »` : '';
  throw new ValidationError(code, `Valeur non reconnue pour ${what}${shown}. Valeurs possibles : ${values.join(', ')}.`, field);
}

export const PROFESSIONS = ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER'] as const;
export type Profession = (typeof PROFESSIONS)[number];
export const requireProfession = (value: unknown, field = 'profession'): Profession =>
  requireOneOf(PROFESSIONS, value, 'INVALID_PROFESSION', field, 'la profession');

/** Cabinet seul, cabinet de groupe, maison de santé pluriprofessionnelle, centre de santé. */
export const PRACTICE_SITE_TYPES = ['SOLO_PRACTICE', 'GROUP_PRACTICE', 'MSP', 'HEALTH_CENTRE'] as const;
export type PracticeSiteType = (typeof PRACTICE_SITE_TYPES)[number];
export const requirePracticeSiteType = (value: unknown, field = 'practiceSite.type'): PracticeSiteType =>
  requireOneOf(PRACTICE_SITE_TYPES, value, 'INVALID_PRACTICE_SITE_TYPE', field, 'le type de lieu d’exercice');

export const PARTNER_TYPES = ['CSAPA', 'CAARUD', 'HOSPITAL', 'CMP', 'PHARMACY', 'ASSOCIATION', 'SOCIAL_SERVICE', 'OTHER'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];
export const requirePartnerType = (value: unknown, field = 'type'): PartnerType =>
  requireOneOf(PARTNER_TYPES, value, 'INVALID_PARTNER_TYPE', field, 'le type de partenaire');

/** A network has a medical coordinator and an administrative coordinator. */
export const COORDINATOR_ROLES = ['MEDICAL', 'ADMINISTRATIVE'] as const;
export type CoordinatorRole = (typeof COORDINATOR_ROLES)[number];
export const requireCoordinatorRole = (value: unknown, field = 'role'): CoordinatorRole =>
  requireOneOf(COORDINATOR_ROLES, value, 'INVALID_COORDINATOR_ROLE', field, 'le rôle de coordination');

/**
 * A member's place in the team. There is no hierarchy between professions: `COORDINATING_GP` marks
 * the GP whose practice hosts the microstructure; `VISITING` a professional holding on-site sessions
 * (e.g. a psychiatrist once a month).
 */
export const MEMBER_ROLES = ['MEMBER', 'COORDINATING_GP', 'VISITING'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const requireMemberRole = (value: unknown, field = 'role'): MemberRole =>
  requireOneOf(MEMBER_ROLES, value, 'INVALID_MEMBER_ROLE', field, 'le rôle dans l’équipe');

/** Addictions (MSMA, the original model) or mental health / post-Covid. */
export const MICROSTRUCTURE_KINDS = ['ADDICTION', 'MENTAL_HEALTH'] as const;
export type MicrostructureKind = (typeof MICROSTRUCTURE_KINDS)[number];
export const requireMicrostructureKind = (value: unknown, field = 'kind'): MicrostructureKind =>
  requireOneOf(MICROSTRUCTURE_KINDS, value, 'INVALID_MICROSTRUCTURE_KIND', field, 'le type de microstructure');

// ---- Practice site ----

export interface PracticeSite {
  name: string;
  type: PracticeSiteType;
  address: Address;
}

export function requirePracticeSite(value: unknown, field = 'practiceSite'): PracticeSite {
  const site = (value ?? {}) as Partial<Record<keyof PracticeSite, unknown>>;
  return {
    name: requireName(site.name, `${field}.name`, 'Le nom du lieu d’exercice'),
    type: requirePracticeSiteType(site.type, `${field}.type`),
    address: requireAddress(site.address, `${field}.address`),
  };
}
