/**
 * The secret the cell key method derives record keys from (`REPORTING_CELL_KEY_SECRET`), shared by every
 * service that publishes a count of patients outside the team (reporting's indicators, the inclusions
 * service's caseload summary), so that the same patients get the same published figure everywhere.
 */

/** Public (it is in the source): refused in production, where record keys derived from it could be recomputed. */
export const DEV_CELL_KEY_SECRET = 'development-cell-key-secret-not-for-production';

/** The secret from the environment; what is wrong is added to `problems` (French, one line each). */
export function cellKeySecretFrom(env: NodeJS.ProcessEnv, problems: string[], nodeEnv: string | undefined = env.NODE_ENV): string {
  const secret = env.REPORTING_CELL_KEY_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < 32) problems.push('REPORTING_CELL_KEY_SECRET : 32 caractères au moins');
  if ((secret === undefined || secret === '') && nodeEnv === 'production') {
    problems.push('REPORTING_CELL_KEY_SECRET : obligatoire en production (clé des enregistrements de la méthode des clés de cellule)');
  }
  return secret || DEV_CELL_KEY_SECRET;
}

/**
 * A patient's record key in SQL: the first 32 bits of md5(secret ‖ pseudonymous patient id), an integer in
 * [0, 2^32). `secret` and `patientId` are SQL expressions (a bound parameter, a column).
 */
export const recordKeyExpression = (secret: string, patientId: string) => `(('x' || substr(md5(${secret} || ${patientId}::text), 1, 8))::bit(32)::bigint)`;
