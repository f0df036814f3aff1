import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotFoundError } from '@cnrms/decider';
import { decodeCursor, PageInput, pageSize, toPage } from '@cnrms/service-kit';
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { MembershipRow, MicrostructureRow, NationalNetworkRow, NetworkRow, PartnerRow, ProfessionalRow } from '../infrastructure/read-models.entities';

export interface MicrostructureCriteria {
  networkIds?: string[];
  department?: string;
  status?: string;
}

export interface ProfessionalCriteria {
  profession?: string;
  lastNameStartsWith?: string;
}

/** The directory's read side: filters and keyset pagination over the read models. */
@Injectable()
export class DirectoryQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  nationalNetwork(): Promise<NationalNetworkRow | null> {
    return this.db.getRepository(NationalNetworkRow).findOne({ where: {} });
  }

  countNetworks(): Promise<number> {
    return this.db.getRepository(NetworkRow).count();
  }

  countMicrostructures(status: string): Promise<number> {
    return this.db.getRepository(MicrostructureRow).count({ where: { status } });
  }

  networks(page?: PageInput) {
    return this.page(this.db.getRepository(NetworkRow).createQueryBuilder('n'), 'n.name', 'name', page);
  }

  async network(id: string): Promise<NetworkRow> {
    const row = await this.db.getRepository(NetworkRow).findOneBy({ id });
    if (!row) throw new NotFoundError('NETWORK_NOT_FOUND', `Aucun réseau régional ne porte l’identifiant « ${id} ».`);
    return row;
  }

  networksByIds(ids: readonly string[]): Promise<NetworkRow[]> {
    return this.db.getRepository(NetworkRow).createQueryBuilder('n').where('n.id = any(:ids)', { ids }).getMany();
  }

  microstructures(criteria: MicrostructureCriteria, page?: PageInput) {
    const query = this.db.getRepository(MicrostructureRow).createQueryBuilder('m');
    if (criteria.networkIds) query.andWhere('m.network_id = any(:networkIds)', { networkIds: criteria.networkIds });
    if (criteria.department) query.andWhere('m.department = :department', { department: criteria.department });
    if (criteria.status) query.andWhere('m.status = :status', { status: criteria.status });
    return this.page(query, 'm.name', 'name', page);
  }

  async microstructure(id: string): Promise<MicrostructureRow> {
    const row = await this.db.getRepository(MicrostructureRow).findOneBy({ id });
    if (!row) throw new NotFoundError('MICROSTRUCTURE_NOT_FOUND', `Aucune microstructure ne porte l’identifiant « ${id} ».`);
    return row;
  }

  findMicrostructure(id: string): Promise<MicrostructureRow | null> {
    return this.db.getRepository(MicrostructureRow).findOneBy({ id });
  }

  memberships(where: { microstructureId?: string; professionalId?: string }, includeEnded: boolean): Promise<MembershipRow[]> {
    const query = this.db.getRepository(MembershipRow).createQueryBuilder('ms').orderBy('ms.started_on').addOrderBy('ms.professional_id');
    if (where.microstructureId) query.andWhere('ms.microstructure_id = :m', { m: where.microstructureId });
    if (where.professionalId) query.andWhere('ms.professional_id = :p', { p: where.professionalId });
    if (!includeEnded) query.andWhere('ms.ended_on is null');
    return query.getMany();
  }

  partners(microstructureId: string): Promise<PartnerRow[]> {
    return this.db.getRepository(PartnerRow).find({ where: { microstructureId }, order: { name: 'ASC' } });
  }

  professionals(criteria: ProfessionalCriteria, page?: PageInput) {
    const query = this.db.getRepository(ProfessionalRow).createQueryBuilder('p');
    if (criteria.profession) query.andWhere('p.profession = :profession', { profession: criteria.profession });
    if (criteria.lastNameStartsWith) query.andWhere('lower(p.last_name) like :prefix', { prefix: `${escapeLike(criteria.lastNameStartsWith.toLowerCase())}%` });
    return this.page(query, 'p.last_name', 'lastName', page);
  }

  async professional(id: string): Promise<ProfessionalRow> {
    const row = await this.findProfessional(id);
    if (!row) throw new NotFoundError('PROFESSIONAL_NOT_FOUND', `Aucun professionnel ne porte l’identifiant « ${id} ».`);
    return row;
  }

  findProfessional(id: string): Promise<ProfessionalRow | null> {
    return this.db.getRepository(ProfessionalRow).findOneBy({ id });
  }

  /** One page ordered by (sort key, id), after the cursor, with the total count for the same filters. */
  private async page<Row extends ObjectLiteral & { id: string }>(query: SelectQueryBuilder<Row>, sortColumn: string, sortField: keyof Row, page?: PageInput) {
    const size = pageSize(page);
    const cursor = decodeCursor(page?.after);
    const totalCount = await query.clone().getCount();
    const alias = query.alias;
    if (cursor) query.andWhere(`(${sortColumn}, ${alias}.id) > (:cursorKey, :cursorId)`, { cursorKey: cursor.key, cursorId: cursor.id });
    const rows = await query.orderBy(sortColumn, 'ASC').addOrderBy(`${alias}.id`, 'ASC').limit(size + 1).getMany();
    return { ...toPage(rows, size, (row) => ({ key: String(row[sortField]), id: row.id }), (row) => row), totalCount };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
