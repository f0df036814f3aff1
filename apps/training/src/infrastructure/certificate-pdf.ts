import PDFDocument from 'pdfkit';

/** What an attendance certificate states: nothing but the training, the sessions attended and the professional. */
export interface CertificateContent {
  registrationId: string;
  professionalName: string;
  professionLabel: string;
  organiser: string;
  title: string;
  themeLabel: string;
  formatLabel: string;
  sessions: { date: string; startTime: string; endTime: string; place: string | null; hours: number }[];
  issuedOn: string;
}

const frenchDate = (date: string) => new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
export const frenchHours = (hours: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(hours);

/**
 * Renders the certificate of attendance (attestation de présence) as an A4 PDF with pdfkit, in the
 * standard Helvetica fonts (WinAnsi covers French). The creation date is the issue date, so that the
 * same certificate renders to the same bytes.
 */
export function renderCertificate(content: CertificateContent): Promise<Buffer> {
  const issued = new Date(`${content.issuedOn}T12:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 60,
    info: { Title: `Attestation de présence — ${content.title}`, Author: content.organiser, Subject: 'Attestation de présence à une formation', CreationDate: issued, ModDate: issued },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const total = content.sessions.reduce((sum, s) => sum + s.hours, 0);

  doc.font('Helvetica').fontSize(11).fillColor('#555555').text(content.organiser, { align: 'right' });
  doc.moveDown(3).font('Helvetica-Bold').fontSize(22).fillColor('#000000').text('Attestation de présence', { align: 'center' });
  doc.moveDown(2).font('Helvetica').fontSize(12);
  doc.text(`${content.organiser} atteste que ${content.professionalName} (${content.professionLabel}) a suivi la formation :`);
  doc.moveDown().font('Helvetica-Bold').fontSize(14).text(`« ${content.title} »`, { align: 'center' });
  doc.moveDown(0.5).font('Helvetica').fontSize(11).text(`Thème : ${content.themeLabel} — ${content.formatLabel}`, { align: 'center' });
  doc.moveDown(1.5).fontSize(12).text(content.sessions.length > 1 ? 'Sessions suivies :' : 'Session suivie :');
  for (const s of content.sessions) {
    const place = s.place ? ` — ${s.place}` : '';
    doc.moveDown(0.3).text(`• le ${frenchDate(s.date)}, de ${s.startTime} à ${s.endTime}${place} : ${frenchHours(s.hours)} h`, { indent: 20 });
  }
  doc.moveDown(1.5).font('Helvetica-Bold').text(`Total : ${frenchHours(total)} heures de formation.`);
  doc.moveDown(3).font('Helvetica').fontSize(11).text(`Délivrée le ${frenchDate(content.issuedOn)}.`);
  doc.moveDown(0.5).fontSize(9).fillColor('#555555').text(`Référence de l’inscription : ${content.registrationId}`);
  doc.end();
  return done;
}
