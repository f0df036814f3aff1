import { answerToCsv, exportFileName, IndicatorAnswer } from './answer';
import { indicatorOf } from './catalogue';

const answer: IndicatorAnswer = {
  indicator: indicatorOf('women_share'),
  from: '2024-01-01',
  to: '2024-12-31',
  granularity: 'YEAR',
  groupBy: ['NETWORK'],
  cells: [
    { period: '2024', periodLabel: '2024', dimensions: [{ dimension: 'NETWORK', value: 'net-1', label: 'Réseau "Alsace"; Nord' }], numerator: 6, denominator: 16, value: 37.5, suppressed: false, suppression: null, suppressionReason: null },
    { period: '2024', periodLabel: '2024', dimensions: [{ dimension: 'NETWORK', value: 'net-2', label: 'Lorraine' }], numerator: null, denominator: null, value: null, suppressed: true, suppression: 'SMALL_CELL', suppressionReason: 'Masquée : moins de 5 patients.' },
  ],
  totals: [{ period: '2024', periodLabel: '2024', dimensions: [], numerator: 9, denominator: 19, value: 47.4, suppressed: false, suppression: null, suppressionReason: null }],
  eventsUpTo: '2025-01-02T10:00:00.000Z',
  asOf: '2025-01-02',
  suppressionApplied: true,
};

describe('exports', () => {
  it('writes CSV for French spreadsheets: BOM, semicolons, French headers, decimal commas, quoted fields', () => {
    const lines = answerToCsv(answer).split('\r\n');
    expect(lines[0]).toBe('\uFEFFIndicateur;Libellé;Période;Réseau régional;Numérateur;Dénominateur;Valeur;Unité;Masquée;Motif du masquage;Données arrêtées au');
    expect(lines[1]).toBe('women_share;Part des femmes;2024;"Réseau ""Alsace""; Nord";6;16;37,5;%;non;;2025-01-02T10:00:00.000Z');
    expect(lines[2]).toBe('women_share;Part des femmes;2024;Lorraine;;;;%;oui;Masquée : moins de 5 patients.;2025-01-02T10:00:00.000Z');
    expect(lines[3]).toBe('women_share;Part des femmes;2024;Total;9;19;47,4;%;non;;2025-01-02T10:00:00.000Z');
    expect(lines[4]).toBe('');
  });

  it('names the file after the indicator, the period and the grouping', () => {
    expect(exportFileName(answer, 'csv')).toBe('women_share_2024-01-01_2024-12-31_year_par_network.csv');
  });
});
