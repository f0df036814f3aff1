import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageInput } from '@cnrms/service-kit';

export enum MicrostructureStatus {
  IN_CREATION = 'IN_CREATION',
  ACTIVE = 'ACTIVE',
  CLOSED = 'CLOSED',
}
export enum Profession {
  GENERAL_PRACTITIONER = 'GENERAL_PRACTITIONER',
  PSYCHOLOGIST = 'PSYCHOLOGIST',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  PSYCHIATRIST = 'PSYCHIATRIST',
  OTHER = 'OTHER',
}
export enum MicrostructureKind {
  ADDICTION = 'ADDICTION',
  MENTAL_HEALTH = 'MENTAL_HEALTH',
}
export enum PracticeSiteType {
  SOLO_PRACTICE = 'SOLO_PRACTICE',
  GROUP_PRACTICE = 'GROUP_PRACTICE',
  MSP = 'MSP',
  HEALTH_CENTRE = 'HEALTH_CENTRE',
}
export enum PartnerType {
  CSAPA = 'CSAPA',
  CAARUD = 'CAARUD',
  HOSPITAL = 'HOSPITAL',
  CMP = 'CMP',
  PHARMACY = 'PHARMACY',
  ASSOCIATION = 'ASSOCIATION',
  SOCIAL_SERVICE = 'SOCIAL_SERVICE',
  OTHER = 'OTHER',
}
registerEnumType(MicrostructureStatus, { name: 'MicrostructureStatus', description: 'En création, active, fermée' });
registerEnumType(Profession, { name: 'Profession' });
registerEnumType(MicrostructureKind, { name: 'MicrostructureKind', description: 'Addictions ou santé mentale' });
registerEnumType(PracticeSiteType, { name: 'PracticeSiteType', description: 'Cabinet seul, cabinet de groupe, MSP, centre de santé' });
registerEnumType(PartnerType, { name: 'PartnerType' });

@ObjectType()
export class Address {
  @Field() street!: string;
  @Field() postalCode!: string;
  @Field() city!: string;
}

@ObjectType({ description: 'Le cabinet ou la MSP qui accueille la microstructure' })
export class PracticeSite {
  @Field() name!: string;
  @Field(() => PracticeSiteType) type!: PracticeSiteType;
  @Field(() => Address) address!: Address;
}

@ObjectType()
export class Coordinator {
  @Field() name!: string;
  @Field() role!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
}

@ObjectType({ description: 'La coordination nationale (CNRMS)' })
export class NationalNetwork {
  @Field() name!: string;
  @Field() establishedAt!: Date;
  @Field(() => Int) networkCount!: number;
  @Field(() => Int) activeMicrostructureCount!: number;
}

@ObjectType({ description: 'Un réseau régional de microstructures' })
@Directive('@key(fields: "id")')
export class Network {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'Nom officiel de la région' }) region!: string;
  @Field(() => String, { nullable: true, description: 'Code officiel (INSEE) de la région, par exemple 44 pour le Grand Est ; absent pour un réseau créé quand la région était du texte libre sans correspondance' })
  regionCode!: string | null;
  @Field(() => [String], { description: 'Départements couverts' }) departments!: string[];
  @Field(() => [Coordinator]) coordinators!: Coordinator[];
  @Field() createdAt!: Date;
}

@ObjectType({ description: 'Où en est l’équipe : un médecin généraliste, un psychologue et un travailleur social' })
export class Completeness {
  @Field() complete!: boolean;
  @Field() hasGeneralPractitioner!: boolean;
  @Field() hasPsychologist!: boolean;
  @Field() hasSocialWorker!: boolean;
  @Field(() => [Profession]) missing!: Profession[];
}

@ObjectType({ description: 'Une microstructure médicale' })
@Directive('@key(fields: "id")')
export class Microstructure {
  @Field(() => ID) id!: string;
  @Field(() => ID) networkId!: string;
  @Field() name!: string;
  @Field(() => MicrostructureKind) kind!: MicrostructureKind;
  @Field(() => MicrostructureStatus) status!: MicrostructureStatus;
  @Field(() => PracticeSite) practiceSite!: PracticeSite;
  @Field() department!: string;
  @Field(() => String, { nullable: true, description: 'Date d’ouverture (AAAA-MM-JJ)' }) openedOn!: string | null;
  @Field(() => String, { nullable: true }) closedOn!: string | null;
  @Field(() => String, { nullable: true }) closureReason!: string | null;
  @Field() createdAt!: Date;
}

@ObjectType({ description: 'Un professionnel de santé ou du social' })
@Directive('@key(fields: "id")')
export class Professional {
  @Field(() => ID) id!: string;
  @Field() firstName!: string;
  @Field() lastName!: string;
  @Field(() => Profession) profession!: Profession;
  @Field(() => String, { nullable: true }) rpps!: string | null;
  @Field(() => String, { nullable: true }) adeli!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
}

@ObjectType({ description: 'L’appartenance d’un professionnel à une microstructure' })
export class Membership {
  @Field(() => ID) microstructureId!: string;
  @Field(() => ID) professionalId!: string;
  @Field(() => Profession) profession!: Profession;
  @Field() role!: string;
  @Field() startedOn!: string;
  @Field(() => String, { nullable: true }) endedOn!: string | null;
  @Field() active!: boolean;
}

@ObjectType({ description: 'Une structure partenaire (CSAPA, hôpital, pharmacie, CMP, association…)' })
export class Partner {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => PartnerType) type!: PartnerType;
  @Field(() => String, { nullable: true }) contact!: string | null;
}

export const NetworkConnection = Connection(Network, 'Network');
export const MicrostructureConnection = Connection(Microstructure, 'Microstructure');
export const ProfessionalConnection = Connection(Professional, 'Professional');

// ---- Inputs ----

@InputType()
export class MicrostructureFilter {
  @Field(() => ID, { nullable: true }) networkId?: string;
  @Field({ nullable: true }) department?: string;
  @Field(() => MicrostructureStatus, { nullable: true }) status?: MicrostructureStatus;
}

@InputType()
export class ProfessionalFilter {
  @Field(() => Profession, { nullable: true }) profession?: Profession;
  @Field({ nullable: true, description: 'Début du nom de famille' }) lastNameStartsWith?: string;
}

@InputType()
export class CreateRegionalNetworkInput {
  @Field() name!: string;
  @Field({ description: 'Code officiel (INSEE) de la région, par exemple 44 pour le Grand Est (son nom officiel est aussi compris)' }) region!: string;
  @Field(() => [String]) departments!: string[];
}

@InputType()
export class AppointCoordinatorInput {
  @Field(() => ID) networkId!: string;
  @Field() name!: string;
  @Field({ description: 'MEDICAL ou ADMINISTRATIVE' }) role!: string;
  @Field({ nullable: true }) email?: string;
}

@InputType()
export class AddressInput {
  @Field() street!: string;
  @Field() postalCode!: string;
  @Field() city!: string;
}

@InputType()
export class PracticeSiteInput {
  @Field() name!: string;
  @Field(() => PracticeSiteType) type!: PracticeSiteType;
  @Field(() => AddressInput) address!: AddressInput;
}

@InputType()
export class CreateMicrostructureInput {
  @Field(() => ID) networkId!: string;
  @Field() name!: string;
  @Field(() => MicrostructureKind, { nullable: true, description: 'ADDICTION par défaut' }) kind?: MicrostructureKind;
  @Field(() => PracticeSiteInput) practiceSite!: PracticeSiteInput;
  @Field() department!: string;
}

@InputType()
export class RegisterProfessionalInput {
  @Field() firstName!: string;
  @Field() lastName!: string;
  @Field(() => Profession) profession!: Profession;
  @Field({ nullable: true, description: '11 chiffres' }) rpps?: string;
  @Field({ nullable: true, description: '9 caractères' }) adeli?: string;
  @Field({ nullable: true }) email?: string;
}

@InputType()
export class AddMemberInput {
  @Field(() => ID) microstructureId!: string;
  @Field(() => ID) professionalId!: string;
  @Field({ nullable: true, description: 'Rôle dans l’équipe (MEMBER par défaut)' }) role?: string;
  @Field({ description: 'AAAA-MM-JJ' }) startedOn!: string;
}

@InputType()
export class EndMembershipInput {
  @Field(() => ID) microstructureId!: string;
  @Field(() => ID) professionalId!: string;
  @Field({ description: 'AAAA-MM-JJ' }) endedOn!: string;
  @Field({ nullable: true }) reason?: string;
}

@InputType()
export class AddPartnerInput {
  @Field(() => ID) microstructureId!: string;
  @Field() name!: string;
  @Field(() => PartnerType) type!: PartnerType;
  @Field({ nullable: true }) contact?: string;
}

export { PageInput };
