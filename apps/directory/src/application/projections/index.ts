import { MicrostructuresProjection } from './microstructures.projection';
import { NetworksProjection } from './networks.projection';
import { ProfessionalsProjection } from './professionals.projection';

export { MICROSTRUCTURES_PROJECTION } from './microstructures.projection';
export { NETWORKS_PROJECTION } from './networks.projection';
export { PROFESSIONALS_PROJECTION } from './professionals.projection';

export const directoryProjections = [NetworksProjection, MicrostructuresProjection, ProfessionalsProjection];
