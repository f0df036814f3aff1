/** Rounded figures of an answer: shares in percent with one decimal, ratios with two, means with one. */

const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/** numerator ÷ denominator in percent (one decimal); null without a denominator. */
export function percent(numerator: number, denominator: number): number | null {
  return denominator > 0 ? round((100 * numerator) / denominator, 1) : null;
}

export function ratio(numerator: number, denominator: number, decimals = 2): number | null {
  return denominator > 0 ? round(numerator / denominator, decimals) : null;
}

/** The median of whole values (the mean of the two middle ones for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : round((sorted[middle - 1] + sorted[middle]) / 2, 1);
}
