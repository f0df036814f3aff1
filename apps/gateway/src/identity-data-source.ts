import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { Identity, signIdentityHeaders } from '@cnrms/auth';

export interface GatewayContext {
  identity?: Identity;
  correlationId?: string;
}

/** Passes the verified caller to a subgraph as signed headers, with the request's correlation id. */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly secret: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.identity) for (const [name, value] of Object.entries(signIdentityHeaders(context.identity, this.secret))) headers.set(name, value);
    if (context.correlationId) headers.set('x-correlation-id', context.correlationId);
  }
}
