import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { callerOf, SubgraphContext } from '@cnrms/service-kit';
import { trainingAccess } from '../application/access';
import { NationalDayRequestRow, NationalDayRequests } from '../application/national-days';
import { NationalDayRequest, NationalDayRequestStatus, NationalDaySession } from './types';

const toRequest = (row: NationalDayRequestRow): NationalDayRequest => ({
  id: row.request_id,
  trainingId: row.training_id,
  sessionId: row.session_id,
  professionalId: row.professional_id,
  requestedAt: new Date(row.requested_at).toISOString(),
  status: row.status as NationalDayRequestStatus,
  rank: row.rank,
  reasonCode: row.reason_code,
  reason: row.reason,
  answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
});

/** National days seen from a self-hosting region: the sessions, a professional's requests for a seat, the national answers. */
@Resolver(() => NationalDayRequest)
export class NationalDayRequestResolver {
  constructor(private readonly requests: NationalDayRequests) {}

  @Query(() => [NationalDaySession], { description: 'Plateforme régionale : les sessions des journées nationales reçues du niveau national (sans personne)' })
  async nationalDaySessions(@Context() context: SubgraphContext): Promise<NationalDaySession[]> {
    // The catalogue's rule: any signed-in user but funders (aggregated indicators only).
    trainingAccess.readCatalogue(callerOf(context));
    return (await this.requests.sessions()).map((row) => ({
      sessionId: row.session_id,
      trainingId: row.training_id,
      title: row.title,
      audience: row.audience,
      format: row.format,
      registrationClosesOn: row.registration_closes_on,
      date: row.date,
      hours: Number(row.hours),
      capacity: row.capacity,
    }));
  }

  @Mutation(() => NationalDayRequest, {
    description: 'Plateforme régionale : le professionnel connecté demande une place à une session de journée nationale ; la place est décidée au niveau national, la réponse revient ici (statut REQUESTED jusque-là)',
  })
  async requestNationalDaySeat(@Context() context: SubgraphContext, @Args('sessionId', { type: () => ID }) sessionId: string): Promise<NationalDayRequest> {
    return toRequest(await this.requests.request(context, sessionId));
  }

  @Query(() => [NationalDayRequest], { description: 'Plateforme régionale : les demandes de place du professionnel connecté aux journées nationales, avec la réponse nationale' })
  async myNationalDayRequests(@Context() context: SubgraphContext): Promise<NationalDayRequest[]> {
    return (await this.requests.mine(context)).map(toRequest);
  }
}
