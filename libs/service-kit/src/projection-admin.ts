import { Type } from '@nestjs/common';
import { Args, Context, Directive, Field, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { forbid, hasRole } from '@cnrms/auth';
import { NotFoundError } from '@cnrms/decider';
import { ProjectionRunner } from '@cnrms/eventsourcing';
import { callerOf, SubgraphContext } from './identity';

@ObjectType({ description: 'État d’une projection (modèle de lecture) d’un service' })
@Directive('@shareable')
export class ProjectionState {
  @Field() name!: string;
  @Field() running!: boolean;
  @Field({ description: 'Dernière position appliquée du journal' }) position!: string;
  @Field(() => Int, { description: 'Événements pas encore appliqués (plafonné à 1000)' }) behind!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
}

/**
 * For administrators: each service's projections, and a rebuild from zero on demand (the read model
 * is emptied and replayed from the event log, checkpoint and rows in the same transactions).
 */
export function projectionAdminResolver(service: string): Type<unknown> {
  const requireAdmin = (context: SubgraphContext) => {
    if (!hasRole(callerOf(context), 'admin')) forbid('Réservé aux administrateurs de la plateforme.');
  };

  @Resolver()
  class ProjectionAdminResolver {
    constructor(private readonly projections: ProjectionRunner) {}

    @Query(() => [ProjectionState], { name: `${service}Projections` })
    async list(@Context() context: SubgraphContext): Promise<ProjectionState[]> {
      requireAdmin(context);
      return (await this.projections.status()).map((s) => ({ ...s, lastError: s.lastError ?? null }));
    }

    @Mutation(() => Boolean, { name: `${service}RebuildProjection`, description: 'Reconstruit une projection depuis le début du journal' })
    async rebuild(@Context() context: SubgraphContext, @Args('name') name: string): Promise<boolean> {
      requireAdmin(context);
      const known = (await this.projections.status()).map((s) => s.name);
      if (!known.includes(name)) throw new NotFoundError('PROJECTION_NOT_FOUND', `Projection inconnue « ${name} » ; projections de ce service : ${known.join(', ') || 'aucune'}.`);
      await this.projections.rebuild(name);
      return true;
    }
  }
  return ProjectionAdminResolver;
}
