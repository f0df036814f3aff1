// What each notice says, in French: pure functions of the events' facts, so that every text is tested
// alone. A notice names a training, a date, a microstructure's page or an inclusion's pseudonymous id —
// never a patient's identity, which the notifications service never receives.

export const NOTICE_KINDS = ['WAIT_LIST_PROMOTION', 'TRAINING_CHANGED', 'TRAINING_CANCELLED', 'MEETING_SCHEDULED', 'MEETING_CANCELLED', 'ASSESSMENT_DUE'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface Notice {
  kind: NoticeKind;
  title: string;
  body: string;
  /** The dashboard's page it is about (a path), or null. */
  link: string | null;
}

/** 2027-01-12 → 12/01/2027. */
export function frenchDate(date: string): string {
  const [year, month, day] = date.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
}

const dates = (sessionDates: readonly string[]) => {
  const shown = [...new Set(sessionDates)].sort().map(frenchDate);
  return shown.length === 0 ? '' : shown.length === 1 ? `le ${shown[0]}` : `les ${shown.slice(0, -1).join(', ')} et ${shown[shown.length - 1]}`;
};

export function waitListPromotion(training: { title: string; sessionDate: string | null }): Notice {
  const when = training.sessionDate ? ` pour la session du ${frenchDate(training.sessionDate)}` : '';
  return {
    kind: 'WAIT_LIST_PROMOTION',
    title: `Une place s’est libérée : vous êtes inscrit·e à « ${training.title} »`,
    body: `Vous étiez sur la liste d’attente de la formation « ${training.title} »${when}. Une place s’est libérée et votre inscription est confirmée. Si vous ne pouvez plus venir, annulez-la pour laisser la place à la personne suivante.`,
    link: '/formations',
  };
}

const CHANGE_LABELS: Record<string, string> = {
  TITLE: 'l’intitulé',
  THEME: 'le thème',
  AUDIENCE: 'le public',
  FORMAT: 'la modalité (présentiel ou à distance)',
  DEADLINE: 'la date limite d’inscription',
  SESSIONS: 'les sessions (dates, horaires, lieu ou places)',
};

export function trainingChanged(training: { title: string; changes: readonly string[]; sessionDates: readonly string[] }): Notice {
  const changed = training.changes.map((change) => CHANGE_LABELS[change] ?? change.toLowerCase());
  const what = changed.length === 1 ? changed[0] : `${changed.slice(0, -1).join(', ')} et ${changed[changed.length - 1]}`;
  const when = training.sessionDates.length > 0 ? ` Sessions prévues ${dates(training.sessionDates)}.` : '';
  return {
    kind: 'TRAINING_CHANGED',
    title: `La formation « ${training.title} » a été modifiée`,
    body: `Les organisateurs ont modifié ${what} de la formation « ${training.title} », à laquelle vous êtes inscrit·e ou en liste d’attente.${when} Vérifiez que la formation vous convient toujours.`,
    link: '/formations',
  };
}

const CANCELLATION_REASONS: Record<string, string> = {
  TOO_FEW_REGISTRATIONS: 'trop peu d’inscrits',
  TRAINER_UNAVAILABLE: 'intervenant indisponible',
  VENUE_UNAVAILABLE: 'lieu indisponible',
  POSTPONED: 'reportée à une date ultérieure',
  OTHER: 'autre motif',
};

export function trainingCancelled(training: { title: string; reason: string }): Notice {
  return {
    kind: 'TRAINING_CANCELLED',
    title: `La formation « ${training.title} » est annulée`,
    body: `La formation « ${training.title} », à laquelle vous étiez inscrit·e ou en liste d’attente, est annulée (${CANCELLATION_REASONS[training.reason] ?? 'autre motif'}). Votre inscription est annulée ; vous n’avez rien à faire.`,
    link: '/formations',
  };
}

const MEETING_FORMATS: Record<string, string> = { IN_PERSON: 'sur place', VIDEO: 'en visioconférence' };

export function meetingScheduled(meeting: { microstructureId: string; scheduledOn: string; format: string }): Notice {
  const how = MEETING_FORMATS[meeting.format];
  return {
    kind: 'MEETING_SCHEDULED',
    title: `Réunion de concertation le ${frenchDate(meeting.scheduledOn)}`,
    body: `Une réunion de concertation pluriprofessionnelle de votre microstructure est prévue le ${frenchDate(meeting.scheduledOn)}${how ? `, ${how}` : ''}. Le lieu et les situations à revoir sont dans le tableau de bord de l’équipe.`,
    link: `/equipe/${encodeURIComponent(meeting.microstructureId)}`,
  };
}

export function meetingCancelled(meeting: { microstructureId: string; scheduledOn: string }): Notice {
  return {
    kind: 'MEETING_CANCELLED',
    title: `Réunion du ${frenchDate(meeting.scheduledOn)} annulée`,
    body: `La réunion de concertation de votre microstructure prévue le ${frenchDate(meeting.scheduledOn)} est annulée.`,
    link: `/equipe/${encodeURIComponent(meeting.microstructureId)}`,
  };
}

const TIMEPOINT_LABELS: Record<string, string> = { M3: 'à 3 mois', M6: 'à 6 mois', M12: 'à 12 mois', M18: 'à 18 mois', M24: 'à 24 mois' };

/** An inclusion's assessment whose window opened: the team sees who it is on the inclusion's page. */
export function assessmentDue(assessment: { microstructureId: string; inclusionId: string; timepoint: string; dueOn: string; windowEndOn: string }): Notice {
  const which = TIMEPOINT_LABELS[assessment.timepoint] ?? `« ${assessment.timepoint} »`;
  return {
    kind: 'ASSESSMENT_DUE',
    title: `Évaluation ${which} à réaliser d’ici le ${frenchDate(assessment.windowEndOn)}`,
    body: `L’évaluation ${which} d’un patient suivi par votre microstructure (inclusion ${assessment.inclusionId}) est attendue autour du ${frenchDate(assessment.dueOn)}, au plus tard le ${frenchDate(assessment.windowEndOn)}. Ouvrez l’inclusion dans le tableau de bord pour voir de qui il s’agit et saisir l’évaluation.`,
    link: `/equipe/${encodeURIComponent(assessment.microstructureId)}/inclusions/${encodeURIComponent(assessment.inclusionId)}`,
  };
}

/** The e-mail of a notice: its text, the link in full, and why the person receives it. */
export function emailOf(notice: Notice, dashboardUrl: string): { subject: string; text: string } {
  const link = notice.link ? `\n\n${dashboardUrl}${notice.link}` : '';
  return {
    subject: notice.title,
    text: `${notice.body}${link}\n\n—\nVous recevez ce message parce que vous êtes membre d’une microstructure médicale ou inscrit·e à une formation de son réseau. Il ne contient aucune donnée de patient ; vos notifications restent aussi dans le tableau de bord.`,
  };
}
