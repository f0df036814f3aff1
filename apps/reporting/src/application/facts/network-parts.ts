/**
 * Parts of the networks (`REPORTING_APPLIER_PARTS`): a backlog of the inbox is applied by one transaction per part at
 * a time, side by side, each applying its part's events of a range (`part-appliers.ts`). Every cell table is keyed by
 * network, so two parts' transactions write no common row; a network's events stay in the order of their sequence.
 * An event without a network (a professional's registration, which writes the professionals only) is in the part of ''.
 */
export interface NetworkPart {
  /** 0 … count - 1. */
  readonly index: number;
  readonly count: number;
}

export function networkPart(index: number, count: number): NetworkPart {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`no part ${index} of ${count}`);
  return { index, count };
}

/** The part (0 … count - 1) of a network id (an SQL text expression). */
export const networkPartSql = (networkId: string, count: number): string => `((hashtext(coalesce(${networkId}, '')) % ${count}) + ${count}) % ${count}`;

/**
 * The condition on the inbox's rows (with `alias`, such as 'e.') of a range `$1 < seq <= $2`, and of one part of the
 * networks when `part` is given.
 */
export const inboxRangeSql = (part?: NetworkPart, alias = ''): string =>
  `${alias}seq > $1 and ${alias}seq <= $2${part ? ` and ${networkPartSql(`${alias}payload->>'networkId'`, part.count)} = ${part.index}` : ''}`;
