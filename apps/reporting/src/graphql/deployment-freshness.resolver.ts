import { Inject } from '@nestjs/common';
import { Context, Field, Float, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { deploymentFrom, callerOf, PG_POOL, SubgraphContext } from '@cnrms/service-kit';
import { Pool } from 'pg';

@ObjectType('DeploymentFreshness', { description: 'Jusqu’à quand les données d’une plateforme régionale sont comptées dans les indicateurs nationaux' })
export class DeploymentFreshness {
  @Field({ description: 'Nom de la plateforme régionale (région-a…)' }) deployment!: string;
  @Field(() => String, { nullable: true, description: 'Date (ISO) du dernier événement reçu de cette plateforme : ses données sont comptées jusque-là' }) dataUpTo!: string | null;
  @Field(() => String, { nullable: true, description: 'Date (ISO) de la dernière réception' }) lastReceivedAt!: string | null;
  @Field(() => Float) eventsReceived!: number;
  @Field(() => String, { nullable: true, description: 'Date (ISO) du dernier signe de vie du lien (battement de MirrorMaker 2 venu de la région)' }) linkUpTo!: string | null;
  @Field({ description: 'Aucun signe de vie du lien depuis plus de FEDERATION_LATE_AFTER_S secondes : les chiffres de la région s’arrêtent à dataUpTo' }) late!: boolean;
  @Field({ description: '« données au … » (heure de Paris), ou « aucune donnée reçue »' }) label!: string;
}

const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/**
 * In a national deployment: per regional deployment, up to when its events are counted (docs/deployments.md).
 * Read from `reporting.federation_sources`, written in the same transaction as each replicated event's facts,
 * and `reporting.federation_links`, the latest MirrorMaker heartbeat copied from the region (libs/messaging
 * link-heartbeats.ts): a link is late when none arrived for FEDERATION_LATE_AFTER_S (60 s by default).
 * Empty outside a national deployment.
 */
@Resolver()
export class DeploymentFreshnessResolver {
  private readonly federation = deploymentFrom();
  private readonly lateAfterMs = Number(process.env.FEDERATION_LATE_AFTER_S ?? 60) * 1000;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Query(() => [DeploymentFreshness], { description: 'Plateforme nationale : pour chaque plateforme régionale, la date de ses données (« données au … ») et si son lien est en retard' })
  async reportingDeployments(@Context() context: SubgraphContext): Promise<DeploymentFreshness[]> {
    callerOf(context);
    const { deployment } = this.federation;
    if (deployment.kind !== 'national') return [];
    const { rows } = await this.pool.query<{ source: string; last_occurred_at: Date; last_received_at: Date; events: string }>(
      'select source, last_occurred_at, last_received_at, events from reporting.federation_sources',
    );
    const links = await this.pool
      .query<{ source: string; last_heartbeat_at: Date }>('select source, last_heartbeat_at from reporting.federation_links')
      .then((result) => new Map(result.rows.map((row) => [row.source, row.last_heartbeat_at])))
      .catch(() => new Map<string, Date>());
    const bySource = new Map(rows.map((row) => [row.source, row]));
    return deployment.regions.map((region) => {
      const row = bySource.get(region);
      const link = links.get(region);
      const late = !link || Date.now() - link.getTime() > this.lateAfterMs;
      const linkUpTo = link?.toISOString() ?? null;
      if (!row) return { deployment: region, dataUpTo: null, lastReceivedAt: null, eventsReceived: 0, linkUpTo, late, label: 'aucune donnée reçue' };
      return {
        deployment: region,
        dataUpTo: row.last_occurred_at.toISOString(),
        lastReceivedAt: row.last_received_at.toISOString(),
        eventsReceived: Number(row.events),
        linkUpTo,
        late,
        label: `données au ${paris.format(row.last_occurred_at)}`,
      };
    });
  }
}
