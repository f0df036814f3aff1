import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Decider, DomainError, DomainEvent, NotFoundError, todayInFrance } from '@cnrms/decider';
import {
  activeMemberships,
  adeliClaimDecider,
  CoordinatorRole,
  MemberRole,
  adeliStream,
  microstructureDecider,
  microstructureStream,
  professionalDecider,
  professionalStream,
  regionalNetworkDecider,
  regionalNetworkStream,
  RegisterProfessional,
  requireDepartment,
  rppsClaimDecider,
  rppsStream,
} from '@cnrms/domain-directory';
import { CommandResult } from '@cnrms/eventsourcing';
import { callerOf, CommandExecutor, commandContext, SubgraphContext } from '@cnrms/service-kit';
import {
  AddMemberInput,
  AddPartnerInput,
  AppointCoordinatorInput,
  CreateMicrostructureInput,
  CreateRegionalNetworkInput,
  EndMembershipInput,
  RegisterProfessionalInput,
} from '../graphql/types';
import { directoryAccess } from './access';
import { DirectoryQueries } from './directory.queries';
import { DeploymentOwnership } from './ownership';
import { MICROSTRUCTURES_PROJECTION, NETWORKS_PROJECTION, PROFESSIONALS_PROJECTION } from './projections';

/**
 * The directory's write side: checks who acts, turns GraphQL input into commands for the deciders, and
 * answers from the read models once they show the change (read-your-writes).
 */
@Injectable()
export class DirectoryCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: DirectoryQueries,
  ) {}

  private readonly ownership = new DeploymentOwnership();

  async createRegionalNetwork(context: SubgraphContext, input: CreateRegionalNetworkInput) {
    directoryAccess.createNetwork(callerOf(context));
    this.ownership.assertNetworkRecordWritable();
    const networkId = randomUUID();
    await this.run(NETWORKS_PROJECTION, regionalNetworkDecider, regionalNetworkStream(networkId), context, networkId, {
      type: 'CreateRegionalNetwork',
      data: { networkId, name: input.name, region: input.region, departments: input.departments, createdAt: now() },
    });
    return this.queries.network(networkId);
  }

  async changeDepartmentsCovered(context: SubgraphContext, networkId: string, departments: string[]) {
    await this.requireNetwork(networkId);
    directoryAccess.manageNetwork(callerOf(context), networkId);
    this.ownership.assertNetworkRecordWritable();
    await this.run(NETWORKS_PROJECTION, regionalNetworkDecider, regionalNetworkStream(networkId), context, networkId, {
      type: 'ChangeDepartmentsCovered',
      data: { networkId, departments },
    });
    return this.queries.network(networkId);
  }

  async appointCoordinator(context: SubgraphContext, input: AppointCoordinatorInput) {
    await this.requireNetwork(input.networkId);
    directoryAccess.manageNetwork(callerOf(context), input.networkId);
    this.ownership.assertNetworkRecordWritable();
    await this.run(NETWORKS_PROJECTION, regionalNetworkDecider, regionalNetworkStream(input.networkId), context, input.networkId, {
      type: 'AppointCoordinator',
      data: { networkId: input.networkId, role: input.role as CoordinatorRole, name: input.name, email: input.email ?? undefined, appointedOn: today() },
    });
    return this.queries.network(input.networkId);
  }

  async createMicrostructure(context: SubgraphContext, input: CreateMicrostructureInput) {
    const network = await this.requireNetwork(input.networkId);
    directoryAccess.manageNetwork(callerOf(context), input.networkId);
    this.ownership.assertNetworkContentWritable(input.networkId);
    const department = requireDepartment(input.department);
    if (!network.departments.includes(department)) {
      throw new DomainError('DEPARTMENT_NOT_COVERED', `Le département ${input.department} n’est pas couvert par le réseau « ${network.name} » (${network.departments.join(', ')}).`, 'BAD_USER_INPUT', { field: 'department' });
    }
    const microstructureId = randomUUID();
    await this.run(MICROSTRUCTURES_PROJECTION, microstructureDecider, microstructureStream(microstructureId), context, input.networkId, {
      type: 'CreateMicrostructure',
      data: { microstructureId, networkId: input.networkId, name: input.name, kind: input.kind, practiceSite: input.practiceSite, department, createdAt: now() },
    });
    return this.queries.microstructure(microstructureId);
  }

  async openMicrostructure(context: SubgraphContext, microstructureId: string, openedOn: string) {
    const networkId = await this.authoriseOnMicrostructure(context, microstructureId, 'manage');
    await this.run(MICROSTRUCTURES_PROJECTION, microstructureDecider, microstructureStream(microstructureId), context, networkId, { type: 'OpenMicrostructure', data: { microstructureId, openedOn, today: today() } });
    return this.queries.microstructure(microstructureId);
  }

  async closeMicrostructure(context: SubgraphContext, microstructureId: string, closedOn: string, reason: string) {
    const networkId = await this.authoriseOnMicrostructure(context, microstructureId, 'manage');
    await this.run(MICROSTRUCTURES_PROJECTION, microstructureDecider, microstructureStream(microstructureId), context, networkId, { type: 'CloseMicrostructure', data: { microstructureId, closedOn, reason, today: today() } });
    return this.queries.microstructure(microstructureId);
  }

  /** The registration and the claims of its national identifiers are one change: all recorded together, or nothing (docs/write-path.md). */
  async registerProfessional(context: SubgraphContext, input: RegisterProfessionalInput) {
    directoryAccess.registerProfessional(callerOf(context));
    const professionalId = randomUUID();
    const registration: RegisterProfessional = {
      type: 'RegisterProfessional',
      data: { professionalId, firstName: input.firstName, lastName: input.lastName, profession: input.profession, rpps: input.rpps, adeli: input.adeli, email: input.email, registeredAt: now() },
    };
    const result = await this.executor.executeMany('RegisterProfessional', commandContext(context, null), async (tx) => {
      const [registered] = (await tx.decide(professionalDecider, professionalStream(professionalId), registration)).events;
      const { rpps, adeli } = registered.data as RegisterProfessional['data'];
      if (rpps) await tx.decide(rppsClaimDecider, rppsStream(rpps), { type: 'ClaimRpps', data: { rpps, professionalId } });
      if (adeli) await tx.decide(adeliClaimDecider, adeliStream(adeli), { type: 'ClaimAdeli', data: { adeli, professionalId } });
    });
    await this.executor.waitForProjection(PROFESSIONALS_PROJECTION, result);
    return this.queries.professional(professionalId);
  }

  async addMember(context: SubgraphContext, input: AddMemberInput) {
    const networkId = await this.authoriseOnMicrostructure(context, input.microstructureId, 'manage');
    const professional = await this.executor.state(professionalDecider, professionalStream(input.professionalId));
    if (professional.status !== 'REGISTERED') throw new NotFoundError('PROFESSIONAL_NOT_FOUND', `Aucun professionnel ne porte l’identifiant « ${input.professionalId} ».`);
    await this.run(MICROSTRUCTURES_PROJECTION, microstructureDecider, microstructureStream(input.microstructureId), context, networkId, {
      type: 'AddMember',
      data: { microstructureId: input.microstructureId, professionalId: input.professionalId, profession: professional.profession, role: input.role as MemberRole | undefined, startedOn: input.startedOn, today: today() },
    });
    return this.membership(input.microstructureId, input.professionalId);
  }

  async endMembership(context: SubgraphContext, input: EndMembershipInput) {
    const networkId = await this.authoriseOnMicrostructure(context, input.microstructureId, 'manage');
    await this.run(MICROSTRUCTURES_PROJECTION, microstructureDecider, microstructureStream(input.microstructureId), context, networkId, {
      type: 'EndMembership',
      data: { microstructureId: input.microstructureId, professionalId: input.professionalId, endedOn: input.endedOn, reason: input.reason, today: today() },
    });
    return this.membership(input.microstructureId, input.professionalId);
  }

  async addPartner(context: SubgraphContext, input: AddPartnerInput) {
    const networkId = await this.authoriseOnMicrostructure(context, input.microstructureId, 'partners');
    const partnerId = randomUUID();
    await this.run(MICROSTRUCTURES_PROJECTION, microstructureDecider, microstructureStream(input.microstructureId), context, networkId, {
      type: 'AddPartner',
      data: { microstructureId: input.microstructureId, partnerId, name: input.name, type: input.type, contact: input.contact },
    });
    const partners = await this.queries.partners(input.microstructureId);
    const partner = partners.find((p) => p.partnerId === partnerId)!;
    return { id: partner.partnerId, name: partner.name, type: partner.type, contact: partner.contact };
  }

  async removePartner(context: SubgraphContext, microstructureId: string, partnerId: string) {
    const networkId = await this.authoriseOnMicrostructure(context, microstructureId, 'partners');
    await this.run(MICROSTRUCTURES_PROJECTION, microstructureDecider, microstructureStream(microstructureId), context, networkId, { type: 'RemovePartner', data: { microstructureId, partnerId } });
    return this.queries.microstructure(microstructureId);
  }

  private run<Command extends { type: string }, Event extends DomainEvent, State>(
    projection: string,
    decider: Decider<Command, Event, State>,
    streamId: string,
    context: SubgraphContext,
    networkId: string | null,
    command: Command,
  ): Promise<CommandResult<Event, State>> {
    return this.executor.executeAndShow(projection, decider, streamId, command, commandContext(context, networkId));
  }

  /** The current state of an aggregate, for checks that span aggregates (the decider still has the last word). */

  private async requireNetwork(networkId: string) {
    const network = await this.executor.state(regionalNetworkDecider, regionalNetworkStream(networkId));
    if (network.status !== 'ACTIVE') throw new NotFoundError('NETWORK_NOT_FOUND', `Aucun réseau régional ne porte l’identifiant « ${networkId} ».`);
    return network;
  }

  private async authoriseOnMicrostructure(context: SubgraphContext, microstructureId: string, action: 'manage' | 'partners'): Promise<string> {
    const microstructure = await this.executor.state(microstructureDecider, microstructureStream(microstructureId));
    if (microstructure.status === 'NONE') throw new NotFoundError('MICROSTRUCTURE_NOT_FOUND', `Aucune microstructure ne porte l’identifiant « ${microstructureId} ».`);
    const caller = callerOf(context);
    if (action === 'manage') directoryAccess.manageNetwork(caller, microstructure.networkId);
    else directoryAccess.managePartners(caller, activeMemberships(microstructure).map((m) => m.professionalId), microstructure.networkId);
    this.ownership.assertNetworkContentWritable(microstructure.networkId);
    return microstructure.networkId;
  }

  private async membership(microstructureId: string, professionalId: string) {
    const memberships = await this.queries.memberships({ microstructureId, professionalId }, true);
    return memberships[memberships.length - 1];
  }
}

function now(): string {
  return new Date().toISOString();
}

/** The day in France (Europe/Paris), as every service dates its commands (not the UTC date, which differs around midnight). */
function today(): string {
  return todayInFrance();
}
