import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { callerOf, SubgraphContext } from '@cnrms/service-kit';
import { trainingAccess } from '../application/access';
import { Certificates } from '../application/certificates';
import { TrainingCommands } from '../application/training.commands';
import { RegistrationRow, SessionRow, TrainingQueries, TrainingRow } from '../application/training.queries';
import {
  Certificate,
  Network,
  NetworkTrainingCount,
  Professional,
  PublishTrainingInput,
  RecordAttendanceInput,
  Registration,
  RegistrationStatus,
  Training,
  TrainingFilterInput,
  TrainingHours,
  TrainingSession,
  TrainingStatus,
  TrainingTheme,
  CancelTrainingInput,
  UpdateTrainingInput,
} from './types';

function toTraining(row: TrainingRow): Training {
  return {
    id: row.id,
    networkId: row.network_id,
    kind: row.kind,
    title: row.title,
    theme: row.theme,
    audience: row.audience,
    format: row.format,
    registrationClosesOn: row.registration_closes_on,
    publishedOn: row.published_on,
    status: row.status as TrainingStatus,
    updatedOn: row.updated_on,
    cancelledOn: row.cancelled_on,
    cancellationReason: row.cancellation_reason,
  };
}

function toSession(row: SessionRow): TrainingSession {
  return {
    id: row.id,
    trainingId: row.training_id,
    date: row.date,
    startTime: row.start_time,
    endTime: row.end_time,
    place: row.place,
    capacity: row.capacity,
    hours: row.hours,
    registeredCount: row.registered_count,
    waitListedCount: row.wait_listed_count,
    seatsLeft: Math.max(0, row.capacity - row.registered_count),
    attendedCount: row.attended_count,
  };
}

function toRegistration(row: RegistrationRow): Registration {
  return {
    id: row.id,
    trainingId: row.training_id,
    sessionId: row.session_id,
    professionalId: row.professional_id,
    networkId: row.network_id,
    profession: row.profession,
    status: row.status as RegistrationStatus,
    waitListRank: row.wait_list_rank,
    requestedAt: row.requested_at,
    promotedAt: row.promoted_at,
    cancelledAt: row.cancelled_at,
    attended: row.attended,
    attendedHours: row.attended_hours,
  };
}

const toHours = (row: { total_hours: number; session_count: number; professional_count: number }): TrainingHours => ({
  totalHours: row.total_hours,
  attendedSessionCount: row.session_count,
  professionalCount: row.professional_count,
});

@Resolver(() => Training)
export class TrainingResolver {
  constructor(
    private readonly queries: TrainingQueries,
    private readonly commands: TrainingCommands,
  ) {}

  @Query(() => [Training], { description: 'Les formations, par réseau, thème et dates de session (le catalogue : tout utilisateur connecté)' })
  async trainings(@Context() context: SubgraphContext, @Args('filter', { nullable: true }) filter?: TrainingFilterInput): Promise<Training[]> {
    trainingAccess.readCatalogue(callerOf(context));
    return (await this.queries.trainings({ ...filter, theme: filter?.theme as never })).map(toTraining);
  }

  @Query(() => Training, { description: 'Une formation' })
  async training(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string): Promise<Training> {
    trainingAccess.readCatalogue(callerOf(context));
    return toTraining(await this.queries.training(id));
  }

  @Mutation(() => Training, { description: 'Publie une formation avec ses sessions (coordinations du réseau ; coordination nationale pour les formations et journées nationales)' })
  async publishTraining(@Context() context: SubgraphContext, @Args('input') input: PublishTrainingInput): Promise<Training> {
    return toTraining(await this.queries.training(await this.commands.publishTraining(context, input)));
  }

  @Mutation(() => Training, {
    description: 'Modifie une formation publiée avant qu’elle ait lieu (coordinations qui la gèrent) : les inscrits et la liste d’attente en sont avertis ; des places ajoutées vont à la liste d’attente',
  })
  async updateTraining(@Context() context: SubgraphContext, @Args('input') input: UpdateTrainingInput): Promise<Training> {
    await this.commands.updateTraining(context, input);
    return toTraining(await this.queries.training(input.trainingId));
  }

  @Mutation(() => Training, { description: 'Annule une formation qui n’a pas commencé (coordinations qui la gèrent) : ses inscriptions sont annulées et les inscrits avertis' })
  async cancelTraining(@Context() context: SubgraphContext, @Args('input') input: CancelTrainingInput): Promise<Training> {
    await this.commands.cancelTraining(context, input);
    return toTraining(await this.queries.training(input.trainingId));
  }

  @ResolveField(() => [TrainingSession], { description: 'Ses sessions, par date' })
  async sessions(@Parent() training: Training): Promise<TrainingSession[]> {
    return (await this.queries.sessions(training.id)).map(toSession);
  }

  @ResolveField(() => [NetworkTrainingCount], { description: 'Inscriptions, liste d’attente et présences par réseau des inscrits (décomptes, sans personne)' })
  async countsByNetwork(@Parent() training: Training): Promise<NetworkTrainingCount[]> {
    return (await this.queries.countsByNetwork(training.id)).map((r) => ({ networkId: r.network_id, registered: r.registered, waitListed: r.wait_listed, attended: r.attended }));
  }

  @ResolveField(() => [Registration], { description: 'Les inscriptions (d’une session si indiquée) : coordinations qui gèrent la formation' })
  async registrations(@Context() context: SubgraphContext, @Parent() training: Training, @Args('sessionId', { type: () => ID, nullable: true }) sessionId?: string): Promise<Registration[]> {
    trainingAccess.manage(callerOf(context), training.networkId);
    return (await this.queries.registrationsOfTraining(training.id, sessionId)).map(toRegistration);
  }
}

@Resolver(() => Registration)
export class RegistrationResolver {
  constructor(
    private readonly queries: TrainingQueries,
    private readonly commands: TrainingCommands,
    private readonly certificates: Certificates,
  ) {}

  @Mutation(() => Registration, { description: 'Inscrit le professionnel connecté à une session ; au-delà de la capacité, sur liste d’attente (statut WAITLISTED et rang)' })
  async registerForTraining(@Context() context: SubgraphContext, @Args('sessionId', { type: () => ID }) sessionId: string): Promise<Registration> {
    return toRegistration(await this.queries.registration(await this.commands.register(context, sessionId)));
  }

  @Mutation(() => Registration, { description: 'Annule sa propre inscription ; une place libérée revient au premier de la liste d’attente' })
  async cancelTrainingRegistration(@Context() context: SubgraphContext, @Args('registrationId', { type: () => ID }) registrationId: string): Promise<Registration> {
    await this.commands.cancel(context, registrationId);
    return toRegistration(await this.queries.registration(registrationId));
  }

  @Mutation(() => TrainingSession, { description: 'Enregistre les présences à une session (émargement) : coordinations qui gèrent la formation' })
  async recordTrainingAttendance(@Context() context: SubgraphContext, @Args('input') input: RecordAttendanceInput): Promise<TrainingSession> {
    await this.commands.recordAttendance(context, input);
    return toSession(await this.queries.session(input.sessionId));
  }

  @Query(() => [Registration], { description: 'Les inscriptions d’un professionnel, la plus récente session d’abord (lui-même, coordinations de ses réseaux)' })
  async professionalRegistrations(@Context() context: SubgraphContext, @Args('professionalId', { type: () => ID }) professionalId: string): Promise<Registration[]> {
    trainingAccess.readProfessional(callerOf(context), professionalId, await this.queries.networksEver(professionalId));
    return (await this.queries.registrationsOfProfessional(professionalId)).map(toRegistration);
  }

  @Query(() => Certificate, { description: 'L’attestation de présence (PDF en base64) d’une inscription : le professionnel, les coordinations concernées' })
  certificate(@Context() context: SubgraphContext, @Args('registrationId', { type: () => ID }) registrationId: string): Promise<Certificate> {
    return this.certificates.certificate(context, registrationId);
  }

  @ResolveField(() => Training)
  async training(@Parent() registration: Registration): Promise<Training> {
    return toTraining(await this.queries.training(registration.trainingId));
  }

  @ResolveField(() => TrainingSession)
  async session(@Parent() registration: Registration): Promise<TrainingSession> {
    return toSession(await this.queries.session(registration.sessionId));
  }
}

@Resolver(() => Network)
export class NetworkResolver {
  constructor(private readonly queries: TrainingQueries) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Network {
    return { id: reference.id };
  }

  @ResolveField(() => [Training], { description: 'Les formations organisées par le réseau, par thème et dates de session' })
  async trainings(
    @Context() context: SubgraphContext,
    @Parent() network: Network,
    @Args('theme', { type: () => TrainingTheme, nullable: true }) theme?: string,
    @Args('from', { nullable: true, description: 'AAAA-MM-JJ' }) from?: string,
    @Args('to', { nullable: true, description: 'AAAA-MM-JJ, inclus' }) to?: string,
  ): Promise<Training[]> {
    trainingAccess.readCatalogue(callerOf(context));
    return (await this.queries.trainings({ networkId: network.id, theme: theme as never, from, to })).map(toTraining);
  }

  @ResolveField(() => TrainingHours, { description: 'Heures de formation suivies par les professionnels comptés dans le réseau (coordinations, national, financeurs)' })
  async trainingHours(@Context() context: SubgraphContext, @Parent() network: Network, @Args('from', { nullable: true }) from?: string, @Args('to', { nullable: true }) to?: string): Promise<TrainingHours> {
    trainingAccess.readNetworkHours(callerOf(context), network.id);
    return toHours(await this.queries.hours({ networkId: network.id }, from, to));
  }
}

@Resolver(() => Professional)
export class ProfessionalResolver {
  constructor(private readonly queries: TrainingQueries) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Professional {
    return { id: reference.id };
  }

  @ResolveField(() => TrainingHours, { description: 'Ses heures de formation suivies sur la période (lui-même, coordinations de ses réseaux)' })
  async trainingHours(@Context() context: SubgraphContext, @Parent() professional: Professional, @Args('from', { nullable: true }) from?: string, @Args('to', { nullable: true }) to?: string): Promise<TrainingHours> {
    trainingAccess.readProfessional(callerOf(context), professional.id, await this.queries.networksEver(professional.id));
    return toHours(await this.queries.hours({ professionalId: professional.id }, from, to));
  }

  @ResolveField(() => [Registration], { description: 'Ses inscriptions aux formations (lui-même, coordinations de ses réseaux)' })
  async trainingRegistrations(@Context() context: SubgraphContext, @Parent() professional: Professional): Promise<Registration[]> {
    trainingAccess.readProfessional(callerOf(context), professional.id, await this.queries.networksEver(professional.id));
    return (await this.queries.registrationsOfProfessional(professional.id)).map(toRegistration);
  }
}

export const trainingResolvers = [TrainingResolver, RegistrationResolver, NetworkResolver, ProfessionalResolver];
