import { useCallback, useRef } from 'react';
import { AnyVariables, DocumentInput, OperationContext, OperationResult, useMutation, UseMutationResponse } from 'urql';

/** Answers after which nothing was decided: the same command may be sent again with the same id. */
const UNDECIDED = new Set(['INTERNAL_SERVER_ERROR', 'SUBGRAPH_UNAVAILABLE', 'CONCURRENCY_CONFLICT', 'RATE_LIMITED']);

export function undecided(result: Pick<OperationResult, 'error'>): boolean {
  const error = result.error;
  if (!error) return false;
  if (error.networkError) return true;
  return error.graphQLErrors.some((e) => UNDECIDED.has(String(e.extensions?.code)));
}

const newId = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`);

/**
 * `useMutation` with a command id (the gateway's `Idempotency-Key`, added to the request by the client's
 * exchange, `lib/client.ts`): a form sent again after a lost answer, a timeout or an unavailable service
 * carries the same id and is recorded once, whatever happened to the first try. The id changes once an
 * answer says what was decided (done or refused), and whenever the variables change (another command).
 */
export function useCommand<Data = unknown, Variables extends AnyVariables = AnyVariables>(query: DocumentInput<Data, Variables>): UseMutationResponse<Data, Variables> {
  const [state, execute] = useMutation<Data, Variables>(query);
  const pending = useRef<{ id: string; variables: string } | null>(null);
  const run = useCallback(
    async (variables: Variables, context?: Partial<OperationContext>) => {
      const signature = JSON.stringify(variables ?? {});
      if (!pending.current || pending.current.variables !== signature) pending.current = { id: newId(), variables: signature };
      const result = await execute(variables, { ...context, commandId: pending.current.id });
      if (!undecided(result)) pending.current = null;
      return result;
    },
    [execute],
  );
  return [state, run];
}
