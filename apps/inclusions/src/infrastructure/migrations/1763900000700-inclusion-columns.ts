import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The caseload's inclusions get a column for each thing the team reads, instead of the inclusion decider's
 * folded state stored as JSON (`state`): the decider may change its private state without touching the read
 * model. Sessions and assessments already have their tables. Existing rows are filled from `state`.
 */
export class InclusionColumns1763900000700 implements MigrationInterface {
  name = 'InclusionColumns1763900000700';

  async up(db: QueryRunner): Promise<void> {
    const texts = (json: string) => `array(select jsonb_array_elements_text(coalesce(${json}, '[]'::jsonb)))`;
    await db.query(`
      alter table inclusions.inclusions
        add column reasons text[],
        add column treating_gp_id text,
        add column included_by text,
        add column reinclusion boolean,
        add column sex text,
        add column age_band text,
        add column consent_given_on date,
        add column consent_partner_sharing text[],
        add column initial_housing text,
        add column initial_income text,
        add column initial_health_coverage text,
        add column initial_main_substances text[],
        add column initial_days_of_use_last_30 int,
        add column exited_on date,
        add column exit_reason text,
        add column exit_recorded_by text,
        add column care_plan_sealed text,
        add column care_plan_goals text[],
        add column care_plan_next_steps text[],
        add column care_plan_erased boolean not null default false,
        add column care_plan_updated_on date,
        add column care_plan_updated_by text;
      update inclusions.inclusions set
        reasons = ${texts(`state->'reasons'`)},
        treating_gp_id = state->>'treatingGpId',
        included_by = state->>'includedBy',
        reinclusion = coalesce((state->>'reinclusion')::boolean, false),
        sex = state->'profile'->>'sex',
        age_band = state->'profile'->>'ageBand',
        consent_given_on = (state->'consent'->>'givenOn')::date,
        consent_partner_sharing = ${texts(`state->'consent'->'partnerSharing'`)},
        initial_housing = state->'initialSituation'->>'housing',
        initial_income = state->'initialSituation'->>'income',
        initial_health_coverage = state->'initialSituation'->>'healthCoverage',
        initial_main_substances = ${texts(`state->'initialSituation'->'mainSubstances'`)},
        initial_days_of_use_last_30 = (state->'initialSituation'->>'daysOfUseLast30')::int,
        exited_on = (state->'exit'->>'exitedOn')::date,
        exit_reason = state->'exit'->>'reason',
        exit_recorded_by = state->'exit'->>'recordedBy',
        care_plan_sealed = state->'carePlan'->>'sealed',
        care_plan_goals = case when state->'carePlan' ? 'goals' then ${texts(`state->'carePlan'->'goals'`)} end,
        care_plan_next_steps = case when state->'carePlan' ? 'nextSteps' then ${texts(`state->'carePlan'->'nextSteps'`)} end,
        care_plan_erased = coalesce((state->'carePlan'->>'erased')::boolean, false),
        care_plan_updated_on = (state->'carePlan'->>'updatedOn')::date,
        care_plan_updated_by = state->'carePlan'->>'updatedBy';
      alter table inclusions.inclusions
        alter column reasons set not null,
        alter column treating_gp_id set not null,
        alter column included_by set not null,
        alter column reinclusion set not null,
        alter column sex set not null,
        alter column age_band set not null,
        alter column consent_given_on set not null,
        alter column consent_partner_sharing set not null,
        alter column initial_housing set not null,
        alter column initial_income set not null,
        alter column initial_health_coverage set not null,
        alter column initial_main_substances set not null,
        alter column initial_days_of_use_last_30 set not null,
        drop column state;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    const date = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;
    await db.query(`
      alter table inclusions.inclusions add column state jsonb;
      update inclusions.inclusions i set state = jsonb_strip_nulls(jsonb_build_object(
        'status', i.status, 'inclusionId', i.id, 'patientId', i.patient_id, 'microstructureId', i.microstructure_id, 'networkId', i.network_id,
        'includedOn', ${date('i.included_on')}, 'reasons', to_jsonb(i.reasons), 'treatingGpId', i.treating_gp_id, 'includedBy', i.included_by,
        'consent', jsonb_build_object('givenOn', ${date('i.consent_given_on')}, 'teamSharing', true, 'partnerSharing', to_jsonb(i.consent_partner_sharing)),
        'initialSituation', jsonb_build_object('housing', i.initial_housing, 'income', i.initial_income, 'healthCoverage', i.initial_health_coverage,
          'mainSubstances', to_jsonb(i.initial_main_substances), 'daysOfUseLast30', i.initial_days_of_use_last_30),
        'reinclusion', i.reinclusion, 'profile', jsonb_build_object('sex', i.sex, 'ageBand', i.age_band),
        'sessions', coalesce((select jsonb_agg(jsonb_build_object('sessionId', s.id, 'kind', s.kind, 'heldOn', ${date('s.held_on')}, 'professionalId', s.professional_id,
          'durationMinutes', s.duration_minutes) order by s.held_on, s.id) from inclusions.follow_up_sessions s where s.inclusion_id = i.id), '[]'::jsonb),
        'assessments', coalesce((select jsonb_agg(jsonb_build_object('timepoint', a.timepoint, 'assessedOn', ${date('a.assessed_on')}) order by a.assessed_on)
          from inclusions.assessments a where a.inclusion_id = i.id), '[]'::jsonb),
        'exit', case when i.exited_on is not null then jsonb_build_object('exitedOn', ${date('i.exited_on')}, 'reason', i.exit_reason, 'recordedBy', i.exit_recorded_by) end,
        'carePlan', case when i.care_plan_updated_on is not null then jsonb_strip_nulls(jsonb_build_object('sealed', i.care_plan_sealed, 'goals', to_jsonb(i.care_plan_goals),
          'nextSteps', to_jsonb(i.care_plan_next_steps), 'erased', case when i.care_plan_erased then true end,
          'updatedOn', ${date('i.care_plan_updated_on')}, 'updatedBy', i.care_plan_updated_by)) end));
      alter table inclusions.inclusions alter column state set not null,
        drop column reasons, drop column treating_gp_id, drop column included_by, drop column reinclusion, drop column sex, drop column age_band,
        drop column consent_given_on, drop column consent_partner_sharing, drop column initial_housing, drop column initial_income,
        drop column initial_health_coverage, drop column initial_main_substances, drop column initial_days_of_use_last_30,
        drop column exited_on, drop column exit_reason, drop column exit_recorded_by, drop column care_plan_sealed, drop column care_plan_goals,
        drop column care_plan_next_steps, drop column care_plan_erased, drop column care_plan_updated_on, drop column care_plan_updated_by;
    `);
  }
}
