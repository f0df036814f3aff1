import { renderCertificate } from './certificate-pdf';
import { pdfText } from '@cnrms/testing';

describe('the certificate of attendance (PDF)', () => {
  const content = {
    registrationId: 'reg-0f3a',
    professionalName: 'Chloé Démo',
    professionLabel: 'travailleur social',
    organiser: 'Le réseau Réseau démo Val-Fictif',
    title: 'Hépatite C : dépister et traiter en ville',
    themeLabel: 'hépatite C',
    formatLabel: 'en présentiel',
    sessions: [
      { date: '2026-03-12', startTime: '09:00', endTime: '12:30', place: 'Maison des associations, Villefictive', hours: 3.5 },
      { date: '2026-03-19', startTime: '14:00', endTime: '17:00', place: null, hours: 3 },
    ],
    issuedOn: '2026-03-20',
  };

  it('says, in French, who attended which sessions of which training and for how many hours, as a PDF parser reads it back', async () => {
    const pdf = await renderCertificate(content);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, title } = await pdfText(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0].replace(/\s+/g, ' ');
    expect(title).toBe('Attestation de présence — Hépatite C : dépister et traiter en ville');
    expect(text).toContain('Attestation de présence');
    expect(text).toContain('Le réseau Réseau démo Val-Fictif atteste que Chloé Démo (travailleur social) a suivi la formation');
    expect(text).toContain('« Hépatite C : dépister et traiter en ville »');
    expect(text).toContain('Thème : hépatite C — en présentiel');
    expect(text).toContain('le 12 mars 2026, de 09:00 à 12:30 — Maison des associations, Villefictive : 3,5 h');
    expect(text).toContain('le 19 mars 2026, de 14:00 à 17:00 : 3 h');
    expect(text).toContain('Total : 6,5 heures de formation.');
    expect(text).toContain('Délivrée le 20 mars 2026.');
    expect(text).toContain('Référence de l’inscription : reg-0f3a');
  }, 30_000);

  it('renders the same certificate to the same bytes', async () => {
    expect((await renderCertificate(content)).equals(await renderCertificate(content))).toBe(true);
  });
});
