import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { completenessOf, Profession as DomainProfession } from '@cnrms/domain-directory';
import { canReadDirectoryPeople, Identity, readDirectory } from '../application/access';
import { DirectoryCommands } from '../application/directory.commands';
import { DirectoryQueries } from '../application/directory.queries';
import { callerOf, SubgraphContext } from '@cnrms/service-kit';
import { forbid } from '@cnrms/auth';
import { MembershipRow, MicrostructureRow, NetworkRow, ProfessionalRow } from '../infrastructure/read-models.entities';
import {
  AddMemberInput,
  AddPartnerInput,
  AppointCoordinatorInput,
  Completeness,
  CreateMicrostructureInput,
  CreateRegionalNetworkInput,
  EndMembershipInput,
  Membership,
  Microstructure,
  MicrostructureConnection,
  MicrostructureFilter,
  NationalNetwork,
  Network,
  NetworkConnection,
  PageInput,
  Partner,
  Professional,
  ProfessionalConnection,
  ProfessionalFilter,
  RegisterProfessionalInput,
} from './types';

function readerOf(context: SubgraphContext): Identity {
  const caller = callerOf(context);
  readDirectory(caller);
  return caller;
}

function peopleReaderOf(context: SubgraphContext): Identity {
  const caller = callerOf(context);
  if (!canReadDirectoryPeople(caller)) forbid('Les coordonnées des professionnels ne sont pas accessibles avec ce rôle.');
  return caller;
}

@Resolver()
export class DirectoryQueryResolver {
  constructor(private readonly queries: DirectoryQueries) {}

  @Query(() => NationalNetwork, { nullable: true, description: 'La coordination nationale et ses chiffres clés' })
  async nationalNetwork(@Context() context: SubgraphContext): Promise<NationalNetwork | null> {
    readerOf(context);
    const national = await this.queries.nationalNetwork();
    if (!national) return null;
    const [networkCount, activeMicrostructureCount] = await Promise.all([this.queries.countNetworks(), this.queries.countMicrostructures('ACTIVE')]);
    return { name: national.name, establishedAt: national.establishedAt, networkCount, activeMicrostructureCount };
  }

  @Query(() => NetworkConnection, { description: 'Les réseaux régionaux, par nom' })
  networks(@Context() context: SubgraphContext, @Args('page', { nullable: true }) page?: PageInput) {
    readerOf(context);
    return this.queries.networks(page);
  }

  @Query(() => Network)
  network(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string) {
    readerOf(context);
    return this.queries.network(id);
  }

  @Query(() => MicrostructureConnection, { description: 'Les microstructures, filtrées par réseau, département ou statut' })
  microstructures(
    @Context() context: SubgraphContext,
    @Args('filter', { nullable: true }) filter?: MicrostructureFilter,
    @Args('page', { nullable: true }) page?: PageInput,
  ) {
    readerOf(context);
    return this.queries.microstructures({ networkIds: filter?.networkId ? [filter.networkId] : undefined, department: filter?.department, status: filter?.status }, page);
  }

  @Query(() => Microstructure)
  microstructure(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string) {
    readerOf(context);
    return this.queries.microstructure(id);
  }

  @Query(() => ProfessionalConnection, { description: 'Les professionnels, par nom, filtrés par profession' })
  professionals(
    @Context() context: SubgraphContext,
    @Args('filter', { nullable: true }) filter?: ProfessionalFilter,
    @Args('page', { nullable: true }) page?: PageInput,
  ) {
    peopleReaderOf(context);
    return this.queries.professionals({ profession: filter?.profession, lastNameStartsWith: filter?.lastNameStartsWith }, page);
  }

  @Query(() => Professional)
  professional(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string) {
    peopleReaderOf(context);
    return this.queries.professional(id);
  }
}

@Resolver(() => Network)
export class NetworkResolver {
  constructor(private readonly queries: DirectoryQueries) {}

  @ResolveReference()
  resolveReference(reference: { id: string }) {
    return this.queries.network(reference.id);
  }

  @ResolveField(() => MicrostructureConnection)
  microstructures(@Parent() network: NetworkRow, @Args('page', { nullable: true }) page?: PageInput) {
    return this.queries.microstructures({ networkIds: [network.id] }, page);
  }
}

@Resolver(() => Microstructure)
export class MicrostructureResolver {
  constructor(private readonly queries: DirectoryQueries) {}

  @ResolveReference()
  resolveReference(reference: { id: string }) {
    return this.queries.microstructure(reference.id);
  }

  @ResolveField(() => Network)
  network(@Parent() microstructure: MicrostructureRow) {
    return this.queries.network(microstructure.networkId);
  }

  @ResolveField(() => [Membership], { description: 'Les membres de l’équipe (actuels, ou tous avec includeEnded)' })
  members(@Parent() microstructure: MicrostructureRow, @Args('includeEnded', { nullable: true, defaultValue: false }) includeEnded: boolean) {
    return this.queries.memberships({ microstructureId: microstructure.id }, includeEnded);
  }

  @ResolveField(() => [Partner])
  async partners(@Parent() microstructure: MicrostructureRow): Promise<Partner[]> {
    const rows = await this.queries.partners(microstructure.id);
    return rows.map((row) => ({ id: row.partnerId, name: row.name, type: row.type as Partner['type'], contact: row.contact }));
  }

  @ResolveField(() => Completeness, { description: 'Médecin généraliste, psychologue et travailleur social : signalé, jamais bloquant' })
  async completeness(@Parent() microstructure: MicrostructureRow): Promise<Completeness> {
    const members = await this.queries.memberships({ microstructureId: microstructure.id }, false);
    return completenessOf(members.map((m) => m.profession as DomainProfession)) as Completeness;
  }
}

@Resolver(() => Professional)
export class ProfessionalResolver {
  constructor(private readonly queries: DirectoryQueries) {}

  @ResolveReference()
  resolveReference(reference: { id: string }) {
    return this.queries.professional(reference.id);
  }

  @ResolveField(() => [Membership])
  memberships(@Parent() professional: ProfessionalRow, @Args('includeEnded', { nullable: true, defaultValue: true }) includeEnded: boolean) {
    return this.queries.memberships({ professionalId: professional.id }, includeEnded);
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  constructor(private readonly queries: DirectoryQueries) {}

  @ResolveField(() => Boolean)
  active(@Parent() membership: MembershipRow) {
    return membership.endedOn === null;
  }

  @ResolveField(() => Professional)
  professional(@Context() context: SubgraphContext, @Parent() membership: MembershipRow) {
    peopleReaderOf(context);
    return this.queries.professional(membership.professionalId);
  }

  @ResolveField(() => Microstructure)
  microstructure(@Parent() membership: MembershipRow) {
    return this.queries.microstructure(membership.microstructureId);
  }
}

@Resolver()
export class DirectoryMutationResolver {
  constructor(private readonly commands: DirectoryCommands) {}

  @Mutation(() => Network, { description: 'Crée un réseau régional (coordination nationale)' })
  createRegionalNetwork(@Context() context: SubgraphContext, @Args('input') input: CreateRegionalNetworkInput) {
    return this.commands.createRegionalNetwork(context, input);
  }

  @Mutation(() => Network, { description: 'Change les départements couverts par un réseau' })
  changeDepartmentsCovered(
    @Context() context: SubgraphContext,
    @Args('networkId', { type: () => ID }) networkId: string,
    @Args('departments', { type: () => [String] }) departments: string[],
  ) {
    return this.commands.changeDepartmentsCovered(context, networkId, departments);
  }

  @Mutation(() => Network, { description: 'Nomme un coordinateur (médical ou administratif) du réseau' })
  appointCoordinator(@Context() context: SubgraphContext, @Args('input') input: AppointCoordinatorInput) {
    return this.commands.appointCoordinator(context, input);
  }

  @Mutation(() => Microstructure, { description: 'Crée une microstructure, en création jusqu’à son ouverture' })
  createMicrostructure(@Context() context: SubgraphContext, @Args('input') input: CreateMicrostructureInput) {
    return this.commands.createMicrostructure(context, input);
  }

  @Mutation(() => Microstructure, { description: 'Ouvre la microstructure (il faut au moins un médecin généraliste)' })
  openMicrostructure(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string, @Args('openedOn') openedOn: string) {
    return this.commands.openMicrostructure(context, id, openedOn);
  }

  @Mutation(() => Microstructure, { description: 'Ferme la microstructure ; son historique est conservé' })
  closeMicrostructure(
    @Context() context: SubgraphContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('closedOn') closedOn: string,
    @Args('reason') reason: string,
  ) {
    return this.commands.closeMicrostructure(context, id, closedOn, reason);
  }

  @Mutation(() => Professional, { description: 'Enregistre un professionnel (RPPS ou ADELI vérifiés)' })
  registerProfessional(@Context() context: SubgraphContext, @Args('input') input: RegisterProfessionalInput) {
    return this.commands.registerProfessional(context, input);
  }

  @Mutation(() => Membership, { description: 'Ajoute un professionnel à l’équipe d’une microstructure' })
  addMember(@Context() context: SubgraphContext, @Args('input') input: AddMemberInput) {
    return this.commands.addMember(context, input);
  }

  @Mutation(() => Membership, { description: 'Met fin à l’appartenance d’un professionnel à une microstructure' })
  endMembership(@Context() context: SubgraphContext, @Args('input') input: EndMembershipInput) {
    return this.commands.endMembership(context, input);
  }

  @Mutation(() => Partner, { description: 'Ajoute une structure partenaire à la microstructure' })
  addPartner(@Context() context: SubgraphContext, @Args('input') input: AddPartnerInput) {
    return this.commands.addPartner(context, input);
  }

  @Mutation(() => Microstructure, { description: 'Retire une structure partenaire' })
  removePartner(
    @Context() context: SubgraphContext,
    @Args('microstructureId', { type: () => ID }) microstructureId: string,
    @Args('partnerId', { type: () => ID }) partnerId: string,
  ) {
    return this.commands.removePartner(context, microstructureId, partnerId);
  }
}

export const directoryResolvers = [DirectoryQueryResolver, NetworkResolver, MicrostructureResolver, ProfessionalResolver, MembershipResolver, DirectoryMutationResolver];
