/**
 * The per-patient package rule (docs/domain.md: the experiments pay an annual package per patient followed;
 * the exact rule is configuration, not code): a package per patient with at least `minContacts` contacts
 * (inclusion, session, assessment) in the calendar year, of `amountEuros` each.
 */
export interface PaymentRule {
  minContacts: number;
  amountEuros: number;
}

/** Packages due for patients' yearly contact counts. */
export function packagesDue(contactsPerPatient: readonly number[], rule: PaymentRule): { packages: number; amountEuros: number } {
  const packages = contactsPerPatient.filter((contacts) => contacts >= rule.minContacts).length;
  return { packages, amountEuros: Math.round(packages * rule.amountEuros * 100) / 100 };
}
