import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { nationalNetworkDecider, nationalNetworkStream } from '@cnrms/domain-directory';
import { CommandExecutor } from '@cnrms/service-kit';

/** The national network exists from the first start; establishing it again changes nothing. */
@Injectable()
export class NationalNetworkSeeder implements OnApplicationBootstrap {
  constructor(private readonly executor: CommandExecutor) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.executor.execute(
      nationalNetworkDecider,
      nationalNetworkStream(),
      { type: 'EstablishNationalNetwork', data: { name: 'Coordination nationale des réseaux de microstructures (CNRMS)', establishedAt: new Date().toISOString() } },
      { actorId: 'system:directory', correlationId: randomUUID(), networkId: null },
    );
  }
}
