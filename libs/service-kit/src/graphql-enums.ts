import { registerEnumType } from '@nestjs/graphql';

/** A GraphQL enumeration as an object whose keys and values are the code list's values. */
export type EnumOf<Values extends readonly string[]> = { [Value in Values[number]]: Value };

/**
 * Registers a code list of the domain as a GraphQL enumeration, so that the two can never drift apart;
 * `valueDescriptions` may describe each value.
 */
export function enumOf<const Values extends readonly string[]>(
  values: Values,
  name: string,
  description?: string,
  valueDescriptions?: { [Value in Values[number]]?: string },
): EnumOf<Values> {
  const enumeration = Object.fromEntries(values.map((value) => [value, value])) as EnumOf<Values>;
  const valuesMap = valueDescriptions && (Object.fromEntries(Object.entries(valueDescriptions).map(([value, text]) => [value, { description: text }])) as { [Value in Values[number]]?: { description: string } });
  registerEnumType(enumeration, { name, description, valuesMap });
  return enumeration;
}
