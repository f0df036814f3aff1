import { z } from 'zod';
import { defineContract } from '../contract';

// What the directory tells the other services. Professionals are not patients: their names may travel.

const id = z.string().min(1);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue');
const profession = z.enum(['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER']);
const kind = z.enum(['ADDICTION', 'MENTAL_HEALTH']);
const partnerType = z.enum(['CSAPA', 'CAARUD', 'HOSPITAL', 'CMP', 'PHARMACY', 'ASSOCIATION', 'SOCIAL_SERVICE', 'OTHER']);

export const NETWORK_TOPIC = 'directory.network.v1';
export const MICROSTRUCTURE_TOPIC = 'directory.microstructure.v1';
export const PROFESSIONAL_TOPIC = 'directory.professional.v1';

/**
 * v2: `regionCode`, the region's official (INSEE) code, beside `region`, its official name. A v1 payload (the
 * region was free text then) is upcast with `regionCode: null`: its code is not known, its text is kept.
 */
export const NetworkCreated = defineContract({
  type: 'directory.NetworkCreated',
  version: 2,
  topic: NETWORK_TOPIC,
  schema: z.object({
    networkId: id,
    name: z.string().min(1),
    region: z.string().min(1),
    regionCode: z.string().regex(/^\d{2}$/).nullable(),
    departments: z.array(z.string()).min(1),
  }),
  upcasters: [{ from: 1, upcast: (payload) => ({ ...(payload as object), regionCode: null }) }],
});

export const NetworkDepartmentsChanged = defineContract({
  type: 'directory.NetworkDepartmentsChanged',
  version: 1,
  topic: NETWORK_TOPIC,
  schema: z.object({ networkId: id, departments: z.array(z.string()).min(1) }),
});

export const MicrostructureCreated = defineContract({
  type: 'directory.MicrostructureCreated',
  version: 1,
  topic: MICROSTRUCTURE_TOPIC,
  // `status` came after the first publications: absent, it is the status every microstructure is created in.
  schema: z.object({ microstructureId: id, networkId: id, name: z.string().min(1), kind, department: z.string().min(2), status: z.literal('IN_CREATION').default('IN_CREATION') }),
});

export const MicrostructureOpened = defineContract({
  type: 'directory.MicrostructureOpened',
  version: 1,
  topic: MICROSTRUCTURE_TOPIC,
  schema: z.object({ microstructureId: id, networkId: id, kind, department: z.string(), openedOn: date }),
});

export const MicrostructureClosed = defineContract({
  type: 'directory.MicrostructureClosed',
  version: 1,
  topic: MICROSTRUCTURE_TOPIC,
  schema: z.object({ microstructureId: id, networkId: id, closedOn: date }),
});

export const MembershipStarted = defineContract({
  type: 'directory.MembershipStarted',
  version: 1,
  topic: MICROSTRUCTURE_TOPIC,
  schema: z.object({ microstructureId: id, networkId: id, professionalId: id, profession, role: z.string(), startedOn: date }),
});

export const MembershipEnded = defineContract({
  type: 'directory.MembershipEnded',
  version: 1,
  topic: MICROSTRUCTURE_TOPIC,
  schema: z.object({ microstructureId: id, networkId: id, professionalId: id, startedOn: date, endedOn: date }),
});

// A partner is an organisation (CSAPA, hospital, pharmacy…); its contact, which may name a person, stays in the directory.
export const PartnerAdded = defineContract({
  type: 'directory.PartnerAdded',
  version: 1,
  topic: MICROSTRUCTURE_TOPIC,
  schema: z.object({ microstructureId: id, networkId: id, partnerId: id, name: z.string().min(1), partnerType }),
});

export const PartnerRemoved = defineContract({
  type: 'directory.PartnerRemoved',
  version: 1,
  topic: MICROSTRUCTURE_TOPIC,
  schema: z.object({ microstructureId: id, networkId: id, partnerId: id }),
});

/** A professional's work e-mail, where the notifications service writes to them (null: none given). */
const email = z.string().email().max(254).nullable();

/**
 * v2: `email`, the professional's work address (the notifications service writes to it; no other service
 * keeps it). A v1 payload is upcast with `email: null`: a professional registered before is told in the
 * dashboard's inbox only, until their e-mail is changed in the directory (`ProfessionalContactChanged`).
 */
export const ProfessionalRegistered = defineContract({
  type: 'directory.ProfessionalRegistered',
  version: 2,
  topic: PROFESSIONAL_TOPIC,
  upcasters: [{ from: 1, upcast: (payload) => (payload && typeof payload === 'object' ? { email: null, ...payload } : payload) }],
  schema: z.object({ professionalId: id, profession, displayName: z.string().min(1), email: email.default(null) }),
});

/** A professional's name or work e-mail changed in the directory (as they are now). */
export const ProfessionalContactChanged = defineContract({
  type: 'directory.ProfessionalContactChanged',
  version: 1,
  topic: PROFESSIONAL_TOPIC,
  schema: z.object({ professionalId: id, displayName: z.string().min(1), email }),
});

export const directoryContracts = [
  NetworkCreated,
  NetworkDepartmentsChanged,
  MicrostructureCreated,
  MicrostructureOpened,
  MicrostructureClosed,
  MembershipStarted,
  MembershipEnded,
  PartnerAdded,
  PartnerRemoved,
  ProfessionalRegistered,
  ProfessionalContactChanged,
];
