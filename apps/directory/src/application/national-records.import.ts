import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '@cnrms/decider';
import { regionalNetworkDecider, regionalNetworkStream } from '@cnrms/domain-directory';
import { Deployment, IntegrationEvent, remoteTopic } from '@cnrms/messaging';
import { CommandExecutor, deploymentFrom, IntegrationConsumer } from '@cnrms/service-kit';

const NETWORK_TOPIC = 'directory.network.v1';

/**
 * In a regional deployment, the record of the region's network is the national level's: it arrives from the
 * national cluster (MirrorMaker 2, `national.directory.network.v1`) and is recorded in the region's own log
 * under the same network id, as the national level decided it — so that the region's microstructures and
 * professionals hang on it. Other networks' records are ignored. A redelivery decides nothing new.
 */
export class NationalNetworkRecords implements IntegrationConsumer {
  readonly topics: readonly string[];
  readonly federated = false;
  executor?: CommandExecutor;

  constructor(private readonly deployment: Deployment) {
    this.topics = [remoteTopic(deployment.nationalId, NETWORK_TOPIC)];
  }

  async handle(event: IntegrationEvent): Promise<void> {
    const payload = event.payload as { networkId: string; name?: string; region?: string; departments: string[] };
    if (!this.deployment.networks.includes(payload.networkId)) return;
    const executor = this.executor;
    if (!executor) throw new Error('the directory is not wired yet');
    const context = { actorId: `deployment:${this.deployment.nationalId}`, correlationId: event.correlationId, networkId: payload.networkId };
    const stream = regionalNetworkStream(payload.networkId);
    if (event.type === 'directory.NetworkCreated') {
      const command = {
        type: 'CreateRegionalNetwork' as const,
        data: { networkId: payload.networkId, name: payload.name ?? '', region: payload.region ?? '', departments: payload.departments, createdAt: event.occurredAt },
      };
      try {
        await executor.execute(regionalNetworkDecider, stream, command, context);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'NETWORK_ALREADY_EXISTS')) throw error;
      }
    } else if (event.type === 'directory.NetworkDepartmentsChanged') {
      await executor.execute(regionalNetworkDecider, stream, { type: 'ChangeDepartmentsCovered', data: { networkId: payload.networkId, departments: payload.departments } }, context);
    }
  }
}

/** The directory's consumers: in a regional deployment, the national records of its network; none otherwise. */
export function nationalRecordConsumers(env: NodeJS.ProcessEnv = process.env): NationalNetworkRecords[] {
  const { deployment } = deploymentFrom(env);
  return deployment.kind === 'regional' ? [new NationalNetworkRecords(deployment)] : [];
}

/** Hands the command executor to the consumers before the integration starts (on application bootstrap). */
export function nationalRecordsWiring(consumers: NationalNetworkRecords[]) {
  @Injectable()
  class NationalRecordsWiring implements OnModuleInit {
    constructor(private readonly executor: CommandExecutor) {}
    onModuleInit() {
      for (const consumer of consumers) consumer.executor = this.executor;
    }
  }
  return NationalRecordsWiring;
}
