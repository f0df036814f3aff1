import { CombinedError } from 'urql';
import { createClient } from './client';
import { undecided } from './command';

describe('commands sent with an id', () => {
  it('keeps the id for a resend only while nothing was decided', () => {
    expect(undecided({ error: undefined })).toBe(false);
    expect(undecided({ error: new CombinedError({ networkError: new Error('Failed to fetch') }) })).toBe(true);
    expect(undecided({ error: new CombinedError({ graphQLErrors: [{ message: 'x', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] }) })).toBe(true);
    expect(undecided({ error: new CombinedError({ graphQLErrors: [{ message: 'x', extensions: { code: 'DUPLICATE_RPPS' } }] }) })).toBe(false);
    expect(undecided({ error: new CombinedError({ graphQLErrors: [{ message: 'x', extensions: { code: 'READ_MODEL_BEHIND' } }] }) })).toBe(false);
  });

  it('sends a mutation’s command id as the Idempotency-Key, beside the session’s token; queries and mutations without id go as before', async () => {
    const calls: Record<string, string>[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (_url: unknown, init?: RequestInit) => {
      calls.push({ ...(init?.headers as Record<string, string>) });
      return new Response(JSON.stringify({ data: { ok: true } }), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    try {
      const client = createClient(() => 'the-token');
      await client.mutation('mutation Ok { ok }', {}, { commandId: 'c0mmand-id-1' }).toPromise();
      await client.mutation('mutation Ok { ok }', {}).toPromise();
      await client.query('query Ok { ok }', {}, { commandId: 'ignored-for-queries' }).toPromise();
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toEqual([
      expect.objectContaining({ authorization: 'Bearer the-token', 'idempotency-key': 'c0mmand-id-1' }),
      expect.not.objectContaining({ 'idempotency-key': expect.anything() }),
      expect.not.objectContaining({ 'idempotency-key': expect.anything() }),
    ]);
    expect(calls[1].authorization).toBe('Bearer the-token');
  });
});
