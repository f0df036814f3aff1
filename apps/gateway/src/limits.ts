import { ASTVisitor, FragmentDefinitionNode, GraphQLError, SelectionSetNode, ValidationContext } from 'graphql';

export const QUERY_TOO_LARGE = 'QUERY_TOO_LARGE';
export const QUERY_TOO_DEEP = 'QUERY_TOO_DEEP';

/**
 * A validation rule refusing an operation that selects more than `max` fields, fragments expanded
 * (aliases make a short query select the same field thousands of times). Introspection fields are
 * not counted. The error carries `extensions.code` QUERY_TOO_LARGE.
 */
export function maxSelectionsRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
    }
    const count = (selectionSet: SelectionSetNode, visiting: Set<string>, budget: number): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (total > budget) break;
        if (selection.kind === 'Field') {
          if (selection.name.value.startsWith('__')) continue;
          total += 1;
          if (selection.selectionSet) total += count(selection.selectionSet, visiting, budget - total);
        } else if (selection.kind === 'InlineFragment') {
          total += count(selection.selectionSet, visiting, budget - total);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // A cycle or an unknown fragment is reported by graphql's own rules.
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          total += count(fragment.selectionSet, visiting, budget - total);
          visiting.delete(name);
        }
      }
      return total;
    };
    return {
      OperationDefinition(operation) {
        if (count(operation.selectionSet, new Set(), max) > max) {
          context.reportError(
            new GraphQLError(`Requête trop volumineuse : ${max} champs au plus par opération.`, { nodes: [operation], extensions: { code: QUERY_TOO_LARGE } }),
          );
        }
      },
    };
  };
}
