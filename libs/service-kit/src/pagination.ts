import { Directive, Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ValidationError } from '@cnrms/decider';
import { Type } from '@nestjs/common';

@InputType()
export class PageInput {
  @Field(() => Int, { nullable: true, description: 'Nombre d’éléments (1 à 100, 20 par défaut)' })
  first?: number;
  @Field({ nullable: true, description: 'Curseur renvoyé par la page précédente (pageInfo.endCursor)' })
  after?: string;
}

@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/** Keyset pagination: the cursor is the sort key and the id of the last row of the page. */
export interface Cursor {
  key: string;
  id: string;
}

export function pageSize(page?: PageInput): number {
  const first = page?.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new ValidationError('INVALID_PAGE_SIZE', 'Le nombre d’éléments par page doit être compris entre 1 et 100.', 'first');
  return first;
}

export function decodeCursor(cursor?: string): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed.key === 'string' && typeof parsed.id === 'string') return parsed;
  } catch {
    // reported below
  }
  throw new ValidationError('INVALID_CURSOR', 'Curseur de pagination invalide : reprenez la liste depuis le début.', 'after');
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Cuts the `size + 1` rows fetched into a page and its page info. */
export function toPage<Row, Node>(rows: Row[], size: number, cursorOf: (row: Row) => Cursor, toNode: (row: Row) => Node) {
  const nodes = rows.slice(0, size);
  const last = nodes[nodes.length - 1];
  return { nodes: nodes.map(toNode), pageInfo: { hasNextPage: rows.length > size, endCursor: last ? encodeCursor(cursorOf(last)) : null } };
}

export function Connection<Node>(node: Type<Node>, name: string) {
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [node]) nodes!: Node[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Nombre total d’éléments correspondant aux filtres' }) totalCount!: number;
  }
  return ConnectionType;
}
