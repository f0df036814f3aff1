export * from './contract';
export * from './topics';
export * from './directory/directory.contracts';
import { ContractRegistry } from './contract';
import { directoryContracts } from './directory/directory.contracts';

/** Every integration event contract of the platform. */
export const platformContracts = () => new ContractRegistry([...directoryContracts]);
