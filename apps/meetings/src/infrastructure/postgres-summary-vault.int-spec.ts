import { randomBytes } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { QueryRunner } from 'typeorm';
import { PatientKeys1764000000100 } from './migrations/1764000000100-patient-keys';
import { destroyPatientKey, PostgresSummaryVault } from './postgres-summary-vault';

describe('PostgresSummaryVault on the meetings key table', () => {
  let database: TestDatabase;
  let vault: PostgresSummaryVault;
  const summary = 'Situation de logement dégradée ; demande d’hébergement d’urgence.';

  beforeAll(async () => {
    database = await createTestDatabase('summary_vault');
    await database.pool.query('create schema meetings');
    await new PatientKeys1764000000100().up({ query: (sql: string) => database.pool.query(sql) } as unknown as QueryRunner);
    vault = new PostgresSummaryVault(database.pool, randomBytes(32), 'test-1');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('opens what it sealed, with one key per patient reused across meetings', async () => {
    const first = await vault.seal('pat-1', 'meet-1', summary);
    const second = await vault.seal('pat-1', 'meet-2', 'Pas de changement.');
    expect(first).not.toContain('logement');
    expect(await vault.openMany([{ patientId: 'pat-1', meetingId: 'meet-1', ciphertext: first }, { patientId: 'pat-1', meetingId: 'meet-2', ciphertext: second }])).toEqual([summary, 'Pas de changement.']);
    expect((await database.pool.query('select count(*)::int as n from meetings.patient_keys')).rows[0].n).toBe(1);
  });

  it('makes every summary of an erased patient unreadable, and refuses new ones (crypto-shredding)', async () => {
    const ciphertext = await vault.seal('pat-2', 'meet-1', summary);
    const other = await vault.seal('pat-3', 'meet-1', summary);
    await destroyPatientKey(database.pool, 'pat-2');
    await destroyPatientKey(database.pool, 'pat-2');
    expect(await vault.openMany([{ patientId: 'pat-2', meetingId: 'meet-1', ciphertext }, { patientId: 'pat-3', meetingId: 'meet-1', ciphertext: other }])).toEqual([null, summary]);
    await expect(vault.seal('pat-2', 'meet-9', summary)).rejects.toMatchObject({ code: 'PATIENT_ERASED' });
    expect(await vault.erased(['pat-2', 'pat-3', 'pat-unknown'])).toEqual(['pat-2']);
    const { rows } = await database.pool.query('select wrapped_key, destroyed_at from meetings.patient_keys where patient_id = $1', ['pat-2']);
    expect(rows[0].wrapped_key).toBeNull();
    expect(rows[0].destroyed_at).not.toBeNull();
  });

  it('bars a key for a patient erased before any summary was written', async () => {
    await destroyPatientKey(database.pool, 'pat-4');
    await expect(vault.seal('pat-4', 'meet-1', summary)).rejects.toMatchObject({ code: 'PATIENT_ERASED' });
  });

  it('refuses a summary moved to another meeting', async () => {
    const ciphertext = await vault.seal('pat-5', 'meet-1', summary);
    await expect(vault.openMany([{ patientId: 'pat-5', meetingId: 'meet-2', ciphertext }])).rejects.toThrow(/Synthèse illisible/);
  });
});
