import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { hasRole, forbid } from '@cnrms/auth';
import { answerToCsv, answerToJson, DIMENSION_LABELS, DIMENSIONS, exportFileName, IndicatorAnswer, IndicatorDefinition as Definition, INDICATORS, UNIT_LABELS } from '@cnrms/domain-reporting';
import { callerOf, PG_POOL, SubgraphContext } from '@cnrms/service-kit';
import { Pool } from 'pg';
import { Inject } from '@nestjs/common';
import { ReportingSettings } from '../config';
import { activeFactSet } from '../application/facts/fact-sets';
import { IndicatorRequest, IndicatorService } from '../application/indicator.service';
import { RebuildService } from '../application/rebuild.service';
import { ReportingViewers } from '../application/viewers';
import { REPORTING_SETTINGS } from '../application/tokens';
import { IndicatorFilter } from '../application/indicators/sql-context';
import { DeploymentFreshnessResolver } from './deployment-freshness.resolver';
import {
  DimensionDefinition,
  ExportFormat,
  IndicatorAnswerType,
  IndicatorDefinition,
  IndicatorExport,
  IndicatorFilterInput,
  Microstructure,
  Network,
  PeriodInput,
  RebuildProgressType,
  ReportingFreshness,
  ReportingSettingsType,
} from './types';

const toDefinition = (d: Definition): IndicatorDefinition => ({ ...d, unitLabel: UNIT_LABELS[d.unit], dimensions: [...d.dimensions], granularities: [...d.granularities], sources: [...d.sources] });

function toAnswer(answer: IndicatorAnswer): IndicatorAnswerType {
  return { ...answer, code: answer.indicator.code, indicator: toDefinition(answer.indicator), available: answer.indicator.available, unavailableReason: answer.indicator.unavailableReason };
}

const request = (period: PeriodInput, groupBy: string[] | null | undefined, filter: IndicatorFilterInput | null | undefined, includingCommand?: string | null): IndicatorRequest => ({
  period,
  groupBy: groupBy ?? [],
  filter: (filter ?? {}) as IndicatorFilter,
  includingCommand,
});

const GROUP_BY = { type: () => [String], nullable: true, description: 'Dimensions du découpage (codes de reportingDimensions), en plus de la période' };
const INCLUDING_COMMAND = {
  type: () => ID,
  nullable: true,
  description:
    'L’identifiant de commande (en-tête Idempotency-Key) d’une modification que vous venez d’enregistrer : la réponse attend que les chiffres l’incluent (au plus REPORTING_INCLUDE_WAIT_MS, sinon l’erreur REPORTING_BEHIND)',
};

@Resolver()
export class IndicatorResolver {
  constructor(
    private readonly service: IndicatorService,
    private readonly viewers: ReportingViewers,
  ) {}

  @Query(() => [IndicatorDefinition], { description: 'Le catalogue des indicateurs : codes, libellés, définitions, unités, dimensions, disponibilité' })
  indicatorCatalogue(): IndicatorDefinition[] {
    return INDICATORS.map(toDefinition);
  }

  @Query(() => [DimensionDefinition], { description: 'Les dimensions de découpage' })
  reportingDimensions(): DimensionDefinition[] {
    return DIMENSIONS.map((code) => ({ code, label: DIMENSION_LABELS[code] }));
  }

  @Query(() => IndicatorAnswerType, { description: 'Un indicateur sur une période, découpé par période et par les dimensions demandées, dans le périmètre de l’appelant' })
  async indicator(
    @Context() context: SubgraphContext,
    @Args('code') code: string,
    @Args('period') period: PeriodInput,
    @Args('groupBy', GROUP_BY) groupBy?: string[] | null,
    @Args('filter', { type: () => IndicatorFilterInput, nullable: true }) filter?: IndicatorFilterInput | null,
    @Args('includingCommand', INCLUDING_COMMAND) includingCommand?: string | null,
  ): Promise<IndicatorAnswerType> {
    return toAnswer(await this.service.answer(await this.viewers.viewerOf(callerOf(context)), code, request(period, groupBy, filter, includingCommand)));
  }

  @Query(() => [IndicatorAnswerType], { description: 'Plusieurs indicateurs sur la même période et le même découpage (au plus 30)' })
  async indicators(
    @Context() context: SubgraphContext,
    @Args('codes', { type: () => [String] }) codes: string[],
    @Args('period') period: PeriodInput,
    @Args('groupBy', GROUP_BY) groupBy?: string[] | null,
    @Args('filter', { type: () => IndicatorFilterInput, nullable: true }) filter?: IndicatorFilterInput | null,
    @Args('includingCommand', INCLUDING_COMMAND) includingCommand?: string | null,
  ): Promise<IndicatorAnswerType[]> {
    return (await this.service.answers(await this.viewers.viewerOf(callerOf(context)), codes, request(period, groupBy, filter, includingCommand))).map(toAnswer);
  }

  @Query(() => IndicatorExport, { description: 'La réponse d’un indicateur en fichier CSV ou JSON, avec les mêmes droits et le même masquage' })
  async indicatorExport(
    @Context() context: SubgraphContext,
    @Args('code') code: string,
    @Args('period') period: PeriodInput,
    @Args('format', { type: () => ExportFormat }) format: 'CSV' | 'JSON',
    @Args('groupBy', GROUP_BY) groupBy?: string[] | null,
    @Args('filter', { type: () => IndicatorFilterInput, nullable: true }) filter?: IndicatorFilterInput | null,
    @Args('includingCommand', INCLUDING_COMMAND) includingCommand?: string | null,
  ): Promise<IndicatorExport> {
    const answer = await this.service.answer(await this.viewers.viewerOf(callerOf(context)), code, request(period, groupBy, filter, includingCommand));
    return format === 'CSV'
      ? { fileName: exportFileName(answer, 'csv'), contentType: 'text/csv; charset=utf-8', content: answerToCsv(answer) }
      : { fileName: exportFileName(answer, 'json'), contentType: 'application/json; charset=utf-8', content: answerToJson(answer) };
  }
}

@Resolver()
export class ReportingAdminResolver {
  constructor(
    private readonly rebuilds: RebuildService,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Query(() => ReportingFreshness, { description: 'Jusqu’à quand les événements sont pris en compte' })
  async reportingFreshness(@Context() context: SubgraphContext): Promise<ReportingFreshness> {
    callerOf(context);
    const active = await activeFactSet(this.pool);
    return { eventsUpTo: active?.last_event_at?.toISOString() ?? null, eventsApplied: Number(active?.events_applied ?? 0), factSetVersion: active?.version ?? null };
  }

  @Query(() => ReportingSettingsType, { description: 'Seuil de masquage, règle de paiement et fenêtres des indicateurs en vigueur' })
  reportingSettings(@Context() context: SubgraphContext): ReportingSettingsType {
    callerOf(context);
    // The cell key secret never leaves the service.
    const { packageMinContacts, packageAmountEuros, cellKeySecret: _secret, ...rest } = this.settings;
    return { ...rest, paymentRule: { minContacts: packageMinContacts, amountEuros: packageAmountEuros } };
  }

  @Query(() => RebuildProgressType, { nullable: true, description: 'La reconstruction en cours, sinon la dernière (administrateurs)' })
  async reportingRebuild(@Context() context: SubgraphContext): Promise<RebuildProgressType | null> {
    if (!hasRole(callerOf(context), 'admin')) forbid('Réservé aux administrateurs de la plateforme.');
    return this.rebuilds.progress();
  }

  @Mutation(() => RebuildProgressType, { description: 'Reconstruit toutes les tables de faits depuis le début du journal dans une nouvelle version, puis bascule ; les requêtes continuent sur l’ancienne pendant ce temps (administrateurs)' })
  async reportingStartRebuild(@Context() context: SubgraphContext): Promise<RebuildProgressType> {
    if (!hasRole(callerOf(context), 'admin')) forbid('Réservé aux administrateurs de la plateforme.');
    return this.rebuilds.start();
  }
}

function entityIndicators(scopeField: 'networkIds' | 'microstructureIds') {
  return async (
    service: IndicatorService,
    viewers: ReportingViewers,
    context: SubgraphContext,
    id: string,
    codes: string[],
    period: PeriodInput,
    groupBy?: string[] | null,
    filter?: IndicatorFilterInput | null,
    includingCommand?: string | null,
  ) => {
    const scoped = { ...(filter ?? {}), [scopeField]: [id] };
    return (await service.answers(await viewers.viewerOf(callerOf(context)), codes, request(period, groupBy, scoped, includingCommand))).map(toAnswer);
  };
}

@Resolver(() => Network)
export class NetworkResolver {
  constructor(
    private readonly service: IndicatorService,
    private readonly viewers: ReportingViewers,
  ) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Network {
    return { id: reference.id };
  }

  @ResolveField(() => [IndicatorAnswerType], { description: 'Indicateurs du réseau (même règles que la requête indicators)' })
  async indicators(
    @Context() context: SubgraphContext,
    @Parent() network: Network,
    @Args('codes', { type: () => [String] }) codes: string[],
    @Args('period') period: PeriodInput,
    @Args('groupBy', GROUP_BY) groupBy?: string[] | null,
    @Args('filter', { type: () => IndicatorFilterInput, nullable: true }) filter?: IndicatorFilterInput | null,
    @Args('includingCommand', INCLUDING_COMMAND) includingCommand?: string | null,
  ): Promise<IndicatorAnswerType[]> {
    return entityIndicators('networkIds')(this.service, this.viewers, context, network.id, codes, period, groupBy, filter, includingCommand);
  }
}

@Resolver(() => Microstructure)
export class MicrostructureResolver {
  constructor(
    private readonly service: IndicatorService,
    private readonly viewers: ReportingViewers,
  ) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Microstructure {
    return { id: reference.id };
  }

  @ResolveField(() => [IndicatorAnswerType], { description: 'Indicateurs de la microstructure (même règles que la requête indicators)' })
  async indicators(
    @Context() context: SubgraphContext,
    @Parent() microstructure: Microstructure,
    @Args('codes', { type: () => [String] }) codes: string[],
    @Args('period') period: PeriodInput,
    @Args('groupBy', GROUP_BY) groupBy?: string[] | null,
    @Args('filter', { type: () => IndicatorFilterInput, nullable: true }) filter?: IndicatorFilterInput | null,
    @Args('includingCommand', INCLUDING_COMMAND) includingCommand?: string | null,
  ): Promise<IndicatorAnswerType[]> {
    return entityIndicators('microstructureIds')(this.service, this.viewers, context, microstructure.id, codes, period, groupBy, filter, includingCommand);
  }
}

export const reportingResolvers = [IndicatorResolver, ReportingAdminResolver, NetworkResolver, MicrostructureResolver, DeploymentFreshnessResolver];
