import { ValidationError } from '@cnrms/decider';
import { requireId } from './values';

/**
 * Stream names are `<category>-<id>`: the event store derives the category from the part before
 * the first dash, so categories themselves contain none.
 */
export const INCLUSIONS_STREAM_CATEGORIES = {
  patient: 'patient',
  inclusion: 'inclusion',
  patientCase: 'patientcase',
} as const;

export const patientStream = (patientId: string): string => `${INCLUSIONS_STREAM_CATEGORIES.patient}-${requireId(patientId, 'patientId', 'L’identifiant du patient')}`;
export const inclusionStream = (inclusionId: string): string =>
  `${INCLUSIONS_STREAM_CATEGORIES.inclusion}-${requireId(inclusionId, 'inclusionId', 'L’identifiant de l’inclusion')}`;

/**
 * The guard stream of one patient in one microstructure, `patientcase-<patientId>_<microstructureId>`.
 * An id containing `_` is refused: `a_b` + `c` and `a` + `b_c` would otherwise share one stream.
 */
export function patientCaseStream(patientId: string, microstructureId: string): string {
  const ids = [requireId(patientId, 'patientId', 'L’identifiant du patient'), requireId(microstructureId, 'microstructureId', 'L’identifiant de la microstructure')];
  if (ids.some((id) => id.includes('_'))) {
    throw new ValidationError('INVALID_ID', 'Les identifiants du patient et de la microstructure ne peuvent pas contenir le caractère « _ ».', 'patientId');
  }
  return `${INCLUSIONS_STREAM_CATEGORIES.patientCase}-${ids.join('_')}`;
}
