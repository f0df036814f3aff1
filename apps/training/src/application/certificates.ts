import { Injectable } from '@nestjs/common';
import { DomainError, todayInFrance } from '@cnrms/decider';
import { callerOf, SubgraphContext } from '@cnrms/service-kit';
import { renderCertificate } from '../infrastructure/certificate-pdf';
import { trainingAccess } from './access';
import { TrainingQueries } from './training.queries';

export const PROFESSION_LABELS: Record<string, string> = {
  GENERAL_PRACTITIONER: 'médecin généraliste',
  PSYCHOLOGIST: 'psychologue',
  SOCIAL_WORKER: 'travailleur social',
  PSYCHIATRIST: 'psychiatre',
  OTHER: 'professionnel',
};
export const THEME_LABELS: Record<string, string> = {
  HEPATITIS_C: 'hépatite C',
  ALCOHOL: 'alcool',
  OPIOID_SUBSTITUTION: 'traitements de substitution aux opiacés',
  MOTIVATIONAL_INTERVIEWING: 'entretien motivationnel',
  SOCIAL_RIGHTS: 'accès aux droits sociaux',
  MENTAL_HEALTH: 'santé mentale',
  OTHER: 'autre thème',
};
const FORMAT_LABELS: Record<string, string> = { IN_PERSON: 'en présentiel', REMOTE: 'à distance' };
export const NATIONAL_ORGANISER = 'La Coordination nationale des réseaux de microstructures (CNRMS)';

export interface CertificateFile {
  fileName: string;
  contentType: string;
  contentBase64: string;
}

/**
 * The certificate of attendance of a registration: every session of that training the professional
 * attended, rendered on demand from the read models (nothing is stored). For the professional
 * themselves and the coordinations of their networks or of the training's.
 */
@Injectable()
export class Certificates {
  constructor(private readonly queries: TrainingQueries) {}

  async certificate(context: SubgraphContext, registrationId: string): Promise<CertificateFile> {
    const caller = callerOf(context);
    const registration = await this.queries.registration(registrationId);
    const training = await this.queries.training(registration.training_id);
    const networks = await this.queries.networksEver(registration.professional_id);
    if (!trainingAccess.canManage(caller, training.network_id)) {
      trainingAccess.readProfessional(caller, registration.professional_id, [...networks, registration.network_id]);
    }
    const sessions = await this.queries.attendedSessions(training.id, registration.professional_id);
    if (sessions.length === 0) throw new DomainError('CERTIFICATE_NOT_AVAILABLE', 'Aucune présence n’est enregistrée pour cette inscription : l’attestation n’est pas disponible.');
    const professional = await this.queries.professional(registration.professional_id);
    const organiser = training.network_id === null ? NATIONAL_ORGANISER : `Le réseau ${(await this.queries.networkName(training.network_id)) ?? training.network_id}`;
    const issuedOn = todayInFrance();
    const pdf = await renderCertificate({
      registrationId,
      professionalName: professional?.displayName || registration.professional_id,
      professionLabel: PROFESSION_LABELS[registration.profession] ?? registration.profession,
      organiser,
      title: training.title,
      themeLabel: THEME_LABELS[training.theme] ?? training.theme,
      formatLabel: FORMAT_LABELS[training.format] ?? training.format,
      sessions: sessions.map((s) => ({ date: s.date, startTime: s.start_time, endTime: s.end_time, place: s.place, hours: s.hours })),
      issuedOn,
    });
    return { fileName: `attestation-presence-${training.id.slice(0, 8)}-${issuedOn}.pdf`, contentType: 'application/pdf', contentBase64: pdf.toString('base64') };
  }
}
