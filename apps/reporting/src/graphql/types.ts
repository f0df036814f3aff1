import { Directive, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { enumOf } from '@cnrms/service-kit';
import { GRANULARITIES, UNITS } from '@cnrms/domain-reporting';

export const Granularity = enumOf(GRANULARITIES, 'Granularity', 'Découpage de la période : mois, trimestre ou année civils (Europe/Paris)');
export const IndicatorUnit = enumOf(UNITS, 'IndicatorUnit', 'Unité de la valeur d’un indicateur');
export const SuppressionKind = enumOf(['SMALL_CELL', 'COMPLEMENTARY'] as const, 'SuppressionKind', 'Case masquée car elle compte trop peu de patients, ou masquée en complément pour qu’aucune case masquée ne se retrouve par différence');
export const ExportFormat = enumOf(['CSV', 'JSON'] as const, 'ExportFormat', 'CSV (séparateur point-virgule, UTF-8 avec BOM, en-têtes en français) ou JSON');
export const FactSetStatus = enumOf(['BUILDING', 'ACTIVE', 'RETIRED', 'FAILED'] as const, 'FactSetStatus', 'En construction, interrogée, remplacée, échouée');

@ObjectType({ description: 'Une dimension de découpage des indicateurs' })
export class DimensionDefinition {
  @Field({ description: 'Code à passer dans groupBy (NETWORK, REGION, …)' }) code!: string;
  @Field() label!: string;
}

@ObjectType({ description: 'Un indicateur du catalogue, défini une fois : de quoi construire un tableau de bord' })
export class IndicatorDefinition {
  @Field() code!: string;
  @Field({ description: 'Libellé en français' }) label!: string;
  @Field() description!: string;
  @Field({ description: 'Ce que compte le numérateur' }) numerator!: string;
  @Field(() => String, { nullable: true, description: 'Ce que compte le dénominateur ; null pour un simple décompte' }) denominator!: string | null;
  @Field(() => IndicatorUnit) unit!: string;
  @Field({ description: 'Unité en toutes lettres' }) unitLabel!: string;
  @Field(() => [String], { description: 'Dimensions acceptées dans groupBy et dans les filtres' }) dimensions!: string[];
  @Field(() => [Granularity]) granularities!: string[];
  @Field({ description: 'Chiffre publié au niveau national par les sources publiques' }) published!: boolean;
  @Field({ description: 'Compte des patients : les petites cases sont masquées pour les financeurs et le niveau national' }) patientBased!: boolean;
  @Field({ description: 'Calculable à partir de ce que les services publient aujourd’hui' }) available!: boolean;
  @Field(() => String, { nullable: true, description: 'Pourquoi il ne l’est pas' }) unavailableReason!: string | null;
  @Field(() => [String], { description: 'Services dont les événements l’alimentent' }) sources!: string[];
}

@ObjectType()
export class DimensionValue {
  @Field() dimension!: string;
  @Field(() => String, { nullable: true, description: 'Code ou identifiant (null : non renseigné)' }) value!: string | null;
  @Field(() => String, { nullable: true, description: 'Libellé en français (nom du réseau, de la microstructure…)' }) label!: string | null;
}

@ObjectType({ description: 'Une case du tableau : une période et des valeurs de dimensions ; une case masquée ne porte aucun chiffre' })
export class IndicatorCell {
  @Field({ description: 'Code de la période : 2024-03, 2024-Q1, 2024' }) period!: string;
  @Field() periodLabel!: string;
  @Field(() => [DimensionValue], { description: 'Vide pour un total' }) dimensions!: DimensionValue[];
  @Field(() => Float, { nullable: true }) numerator!: number | null;
  @Field(() => Float, { nullable: true }) denominator!: number | null;
  @Field(() => Float, { nullable: true, description: 'Valeur dans l’unité de l’indicateur ; null si masquée ou sans dénominateur' }) value!: number | null;
  @Field() suppressed!: boolean;
  @Field(() => SuppressionKind, { nullable: true }) suppression!: string | null;
  @Field(() => String, { nullable: true }) suppressionReason!: string | null;
}

@ObjectType('IndicatorAnswer', { description: 'La réponse pour un indicateur : cases, totaux par période, et date des derniers événements pris en compte' })
export class IndicatorAnswerType {
  @Field() code!: string;
  @Field(() => IndicatorDefinition) indicator!: IndicatorDefinition;
  @Field({ description: 'Premier jour couvert (périodes entières)' }) from!: string;
  @Field({ description: 'Dernier jour couvert, inclus' }) to!: string;
  @Field(() => Granularity) granularity!: string;
  @Field(() => [String]) groupBy!: string[];
  @Field(() => [IndicatorCell]) cells!: IndicatorCell[];
  @Field(() => [IndicatorCell], { description: 'Un total par période, sur tout le périmètre et le filtre' }) totals!: IndicatorCell[];
  @Field(() => String, { nullable: true, description: 'Date (ISO) du dernier événement pris en compte' }) eventsUpTo!: string | null;
  @Field({ description: 'Jour (Europe/Paris) auquel la réponse est calculée' }) asOf!: string;
  @Field() available!: boolean;
  @Field(() => String, { nullable: true }) unavailableReason!: string | null;
  @Field({ description: 'Vrai quand les petites cases sont masquées pour l’appelant' }) suppressionApplied!: boolean;
}

@ObjectType({ description: 'Un export de réponse, avec les mêmes droits et le même masquage que la requête' })
export class IndicatorExport {
  @Field() fileName!: string;
  @Field() contentType!: string;
  @Field({ description: 'Contenu du fichier (le CSV commence par le BOM UTF-8)' }) content!: string;
}

@ObjectType('RebuildProgress', { description: 'Avancement d’une reconstruction des tables de faits' })
export class RebuildProgressType {
  @Field(() => Int) version!: number;
  @Field(() => FactSetStatus) status!: string;
  @Field(() => Float) eventsDone!: number;
  @Field(() => Float) eventsTotal!: number;
  @Field(() => Float, { description: 'Événements par seconde' }) ratePerSecond!: number;
  @Field(() => Int, { nullable: true, description: 'Secondes restantes estimées' }) secondsLeft!: number | null;
  @Field(() => String, { nullable: true }) startedAt!: string | null;
  @Field(() => String, { nullable: true }) finishedAt!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: 'Fraîcheur des indicateurs' })
export class ReportingFreshness {
  @Field(() => String, { nullable: true, description: 'Date (ISO) du dernier événement pris en compte' }) eventsUpTo!: string | null;
  @Field(() => Float) eventsApplied!: number;
  @Field(() => Int, { nullable: true, description: 'Version des tables de faits interrogées' }) factSetVersion!: number | null;
}

@ObjectType('PaymentRule', { description: 'Règle de paiement des forfaits par patient (configuration)' })
export class PaymentRuleType {
  @Field(() => Int, { description: 'Contacts dans l’année ouvrant droit au forfait' }) minContacts!: number;
  @Field(() => Float) amountEuros!: number;
}

@ObjectType('ReportingSettings', { description: 'Paramètres des indicateurs que le terrain n’a pas fixés (configuration)' })
export class ReportingSettingsType {
  @Field(() => Int, { description: 'Seuil de masquage : une case comptant moins de patients est masquée' }) suppressionThreshold!: number;
  @Field(() => Int) maxPeriodMonths!: number;
  @Field(() => Int) reviewWindowMonths!: number;
  @Field(() => Int) outcomeWindowMonths!: number;
  @Field(() => Int) retention6mDays!: number;
  @Field(() => Int) retention12mDays!: number;
  @Field(() => Int) lostToFollowUpMonths!: number;
  @Field(() => Int, { description: 'Attente la plus longue (millisecondes) des chiffres qui incluent une commande (includingCommand)' }) includeWaitMs!: number;
  @Field(() => PaymentRuleType) paymentRule!: PaymentRuleType;
}

@InputType({ description: 'Période demandée : toutes les périodes civiles qu’elle touche, entières' })
export class PeriodInput {
  @Field({ description: 'AAAA-MM-JJ' }) from!: string;
  @Field({ description: 'AAAA-MM-JJ, inclus' }) to!: string;
  @Field(() => Granularity) granularity!: 'MONTH' | 'QUARTER' | 'YEAR';
}

@InputType({ description: 'Filtres (chaque liste : l’une des valeurs) ; le périmètre de l’appelant s’applique toujours' })
export class IndicatorFilterInput {
  @Field(() => [ID], { nullable: true }) networkIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) microstructureIds?: string[] | null;
  @Field(() => [String], { nullable: true }) regions?: string[] | null;
  @Field(() => [String], { nullable: true }) departments?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'ADDICTION, MENTAL_HEALTH' }) microstructureKinds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'FEMALE, MALE, OTHER, UNKNOWN' }) sexes?: string[] | null;
  @Field(() => [String], { nullable: true }) ageBands?: string[] | null;
  @Field(() => [String], { nullable: true }) exitReasons?: string[] | null;
  @Field(() => [String], { nullable: true }) partnerTypes?: string[] | null;
}

@ObjectType({ description: 'Un réseau régional (entité de l’annuaire), vu par les indicateurs' })
@Directive('@key(fields: "id")')
export class Network {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'Une microstructure (entité de l’annuaire), vue par les indicateurs' })
@Directive('@key(fields: "id")')
export class Microstructure {
  @Field(() => ID) id!: string;
}
