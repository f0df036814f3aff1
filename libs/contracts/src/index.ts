export * from './contract';
export * from './topics';
export * from './directory/directory.contracts';
export * from './inclusions/inclusions.contracts';
export * from './meetings/meetings.contracts';
export * from './training/training.contracts';
export * from './training/national-days.contracts';
import { ContractRegistry } from './contract';
import { directoryContracts } from './directory/directory.contracts';
import { inclusionsContracts } from './inclusions/inclusions.contracts';
import { meetingsContracts } from './meetings/meetings.contracts';
import { nationalDayContracts } from './training/national-days.contracts';
import { trainingContracts } from './training/training.contracts';

/** Every integration event contract of the platform. */
export const platformContracts = () => new ContractRegistry([...directoryContracts, ...inclusionsContracts, ...meetingsContracts, ...trainingContracts, ...nationalDayContracts]);
