import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The national coordination (one row). */
@Entity({ name: 'national_network' })
export class NationalNetworkRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('timestamptz', { name: 'established_at' }) establishedAt!: Date;
}

export interface CoordinatorValue {
  name: string;
  role: string;
  email: string | null;
}

@Entity({ name: 'networks' })
export class NetworkRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') region!: string;
  @Column('text', { name: 'region_code', nullable: true }) regionCode!: string | null;
  @Column('text', { array: true }) departments!: string[];
  @Column('jsonb') coordinators!: CoordinatorValue[];
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

export interface PracticeSiteValue {
  name: string;
  type: string;
  address: { street: string; postalCode: string; city: string };
}

@Entity({ name: 'microstructures' })
export class MicrostructureRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'network_id' }) networkId!: string;
  @Column('text') name!: string;
  @Column('text') kind!: string;
  @Column('text') status!: string;
  @Column('text') department!: string;
  @Column('jsonb', { name: 'practice_site' }) practiceSite!: PracticeSiteValue;
  @Column('date', { name: 'opened_on', nullable: true }) openedOn!: string | null;
  @Column('date', { name: 'closed_on', nullable: true }) closedOn!: string | null;
  @Column('text', { name: 'closure_reason', nullable: true }) closureReason!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

@Entity({ name: 'memberships' })
export class MembershipRow {
  @PrimaryColumn('text', { name: 'microstructure_id' }) microstructureId!: string;
  @PrimaryColumn('text', { name: 'professional_id' }) professionalId!: string;
  @PrimaryColumn('date', { name: 'started_on' }) startedOn!: string;
  @Column('text', { name: 'network_id' }) networkId!: string;
  @Column('text') profession!: string;
  @Column('text') role!: string;
  @Column('date', { name: 'ended_on', nullable: true }) endedOn!: string | null;
}

@Entity({ name: 'partners' })
export class PartnerRow {
  @PrimaryColumn('text', { name: 'microstructure_id' }) microstructureId!: string;
  @PrimaryColumn('text', { name: 'partner_id' }) partnerId!: string;
  @Column('text') name!: string;
  @Column('text') type!: string;
  @Column('text', { nullable: true }) contact!: string | null;
}

@Entity({ name: 'professionals' })
export class ProfessionalRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'first_name' }) firstName!: string;
  @Column('text', { name: 'last_name' }) lastName!: string;
  @Column('text') profession!: string;
  @Column('text', { nullable: true }) rpps!: string | null;
  @Column('text', { nullable: true }) adeli!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
}

export const directoryEntities = [NationalNetworkRow, NetworkRow, MicrostructureRow, MembershipRow, PartnerRow, ProfessionalRow];
