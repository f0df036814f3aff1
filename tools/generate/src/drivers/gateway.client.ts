export type GraphQLError = { message: string; extensions?: { code?: string; category?: string } };

// Refusals that only mean "the other services have not heard yet": the care team (directory → inclusions,
// meetings) and the inclusions (inclusions → meetings) travel through the bus.
const NOT_YET_KNOWN = new Set(['MICROSTRUCTURE_NOT_FOUND', 'TREATING_GP_NOT_MEMBER', 'UNKNOWN_PARTNER', 'SUBGRAPH_UNAVAILABLE', 'PATIENT_NOT_INCLUDED', 'ATTENDEE_NOT_MEMBER', 'NETWORK_NOT_FOUND', 'NOT_A_MEMBER', 'NOT_A_MEMBER_GP', 'MICROSTRUCTURE_NOT_OPEN', 'NOT_A_MEMBER_ON_MEETING_DATE', 'PARTNER_NOT_OF_MICROSTRUCTURE']);
const notYetKnown = (error: GraphQLError) => (error.extensions?.category ?? error.extensions?.code) === 'FORBIDDEN' || NOT_YET_KNOWN.has(error.extensions?.code ?? '');
const describe = (errors: GraphQLError[]) => errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ');

/** GraphQL over HTTP to the gateway, with a bounded wait for what the bus has not delivered yet. */
export class GatewayClient {
  constructor(
    private readonly gatewayUrl: string,
    private readonly waitMs: number,
  ) {}

  async request<T>(bearer: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: GraphQLError[] }> {
    const response = await fetch(`${this.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: GraphQLError[] };
  }

  async data<T>(bearer: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = await this.request<T>(bearer, query, variables);
    if (body.errors?.length) throw new Error(describe(body.errors));
    return body.data as T;
  }

  /** A call repeated while the refusal only means "not known here yet", until the wait is over. */
  async asMember<T>(bearer: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const deadline = Date.now() + this.waitMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      const body = await this.request<T>(bearer, query, variables);
      if (!body.errors?.length) return body.data as T;
      if (body.errors.every((e) => e.extensions?.code === 'READ_MODEL_BEHIND')) throw new RecordedButNotShown(describe(body.errors));
      if (!body.errors.every(notYetKnown) || Date.now() > deadline) throw new CommandRefused(describe(body.errors));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * A mutation that must not be sent twice: when the service answers READ_MODEL_BEHIND (recorded, its read
   * model late), `find` is polled until the read model shows it (null while it does not).
   */
  async record<T>(bearer: string, query: string, variables: Record<string, unknown>, find: () => Promise<T | null>): Promise<T> {
    try {
      return await this.asMember<T>(bearer, query, variables);
    } catch (error) {
      if (!(error instanceof RecordedButNotShown)) throw error;
      const deadline = Date.now() + this.waitMs;
      for (;;) {
        const found = await find();
        if (found !== null) return found;
        if (Date.now() > deadline) throw new CommandRefused(`${error.message} (still not shown after ${this.waitMs / 1000} s)`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

/** A refusal, or a wait for the bus that ran out (the message says which refusal came last). */
export class CommandRefused extends Error {}

/** READ_MODEL_BEHIND: the change is recorded, only its read model is late; it must not be sent again. */
export class RecordedButNotShown extends CommandRefused {}
