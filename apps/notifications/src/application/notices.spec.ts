import { notificationSettings } from '../config';
import { assessmentDue, emailOf, frenchDate, meetingScheduled, trainingChanged } from './notices';

describe('what the notices say', () => {
  it('writes dates the French way and lists several session dates in order', () => {
    expect(frenchDate('2027-01-12')).toBe('12/01/2027');
    const changed = trainingChanged({ title: 'RPIB', changes: ['DEADLINE', 'SESSIONS'], sessionDates: ['2027-02-08', '2027-02-01', '2027-02-15'] });
    expect(changed.body).toContain('la date limite d’inscription et les sessions');
    expect(changed.body).toContain('Sessions prévues les 01/02/2027, 08/02/2027 et 15/02/2027.');
  });

  it('names an assessment by its timepoint, a configured one by its code, and links to the inclusion', () => {
    const due = { microstructureId: 'ms 1', inclusionId: 'inc-7', dueOn: '2027-01-15', windowEndOn: '2027-02-14' };
    expect(assessmentDue({ ...due, timepoint: 'M6' }).title).toBe('Évaluation à 6 mois à réaliser d’ici le 14/02/2027');
    expect(assessmentDue({ ...due, timepoint: 'M36' }).title).toBe('Évaluation « M36 » à réaliser d’ici le 14/02/2027');
    expect(assessmentDue({ ...due, timepoint: 'M6' }).link).toBe('/equipe/ms%201/inclusions/inc-7');
  });

  it('puts the full link and why the person receives it in the e-mail', () => {
    const email = emailOf(meetingScheduled({ microstructureId: 'ms-1', scheduledOn: '2027-03-04', format: 'IN_PERSON' }), 'https://tableau.example.fr');
    expect(email.subject).toBe('Réunion de concertation le 04/03/2027');
    expect(email.text).toContain('prévue le 04/03/2027, sur place.');
    expect(email.text).toContain('\n\nhttps://tableau.example.fr/equipe/ms-1\n\n');
    expect(email.text).toContain('Il ne contient aucune donnée de patient');
  });
});

describe('notifications settings', () => {
  it('has working defaults: no SMTP (inbox only), the inclusions’ timepoints after inclusion', () => {
    const settings = notificationSettings({});
    expect(settings.smtpUrl).toBeNull();
    expect(settings.timepoints).toEqual([
      { code: 'M6', monthsAfterInclusion: 6 },
      { code: 'M12', monthsAfterInclusion: 12 },
    ]);
    expect(settings.assessmentWindowDays).toBe(30);
  });

  it('refuses a malformed SMTP URL or sender, saying which, without printing a password', () => {
    expect(() => notificationSettings({ SMTP_URL: 'mail.example.fr:25', NOTIFICATIONS_MAIL_FROM: 'nobody' })).toThrow(/SMTP_URL[\s\S]*NOTIFICATIONS_MAIL_FROM/);
    expect(() => notificationSettings({ SMTP_URL: 'http://user:secret@mail.example.fr' })).toThrow(/^(?![\s\S]*secret)/);
    expect(notificationSettings({ SMTP_URL: 'smtps://user:pass@mail.example.fr:465' }).smtpUrl).toBe('smtps://user:pass@mail.example.fr:465');
  });
});
