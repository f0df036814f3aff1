import path from 'node:path';

/** One deployment of the federation on this machine. */
export interface Member {
  alias: string;
  database: string;
  /** PORT_OFFSET of its platform (gateway at 4000 + offset). */
  portOffset: number;
  /** Its broker (controller on the next port). */
  kafkaPort: number;
  /** Regions: the network the national level creates for it. */
  networkName: string;
  region: string;
  departments: string[];
}

export interface FederationOptions {
  national: Member;
  regions: Member[];
  serverUrl: string;
  dataDir: string;
  verbose: boolean;
}

// Fictional regions of the demonstration (INSEE region codes; the departments they cover).
const REGIONS = [
  { networkName: 'Réseau des microstructures de Bourgogne-Franche-Comté', region: '27', departments: ['21', '25'] },
  { networkName: 'Réseau des microstructures d’Occitanie', region: '76', departments: ['31', '34'] },
  { networkName: 'Réseau des microstructures de Bretagne', region: '53', departments: ['29', '35'] },
];

const int = (raw: string | undefined, fallback: number, name: string) => {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: « ${raw} » is not a whole number`);
  return value;
};

/**
 * `npm run federation -- [--regions N] [--verbose]`, and the environment (README.md): FEDERATION_PORT_OFFSET (the
 * national platform's PORT_OFFSET; each region 20 further), FEDERATION_KAFKA_PORT (the national broker; each
 * region 2 further), FEDERATION_DATABASE_URL (the PostgreSQL server), FEDERATION_NAME (databases and data folder).
 */
export function federationOptions(args: string[], env: NodeJS.ProcessEnv): FederationOptions | 'help' {
  if (args.includes('--help')) return 'help';
  const at = args.indexOf('--regions');
  const count = int(at >= 0 ? args[at + 1] : env.FEDERATION_REGION_COUNT, 2, '--regions');
  if (count < 1 || count > REGIONS.length) throw new Error(`--regions: between 1 and ${REGIONS.length}`);
  const offset = int(env.FEDERATION_PORT_OFFSET, 100, 'FEDERATION_PORT_OFFSET');
  const kafkaPort = int(env.FEDERATION_KAFKA_PORT, 19130, 'FEDERATION_KAFKA_PORT');
  const name = env.FEDERATION_NAME || 'cnrms_federation';
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`FEDERATION_NAME: « ${name} » must be lower-case letters, digits and _`);
  const member = (alias: string, index: number) => ({
    alias,
    database: `${name}_${alias.replace(/-/g, '_')}`,
    portOffset: offset + 20 * index,
    kafkaPort: kafkaPort + 2 * index,
    ...(index === 0 ? { networkName: '', region: '', departments: [] } : REGIONS[index - 1]),
  });
  return {
    national: member('national', 0),
    regions: Array.from({ length: count }, (_, i) => member(`region-${String.fromCharCode(97 + i)}`, i + 1)),
    serverUrl: env.FEDERATION_DATABASE_URL || env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    dataDir: path.resolve(env.FEDERATION_DATA || path.join(__dirname, '..', '..', '.data', 'federation', name)),
    verbose: args.includes('--verbose'),
  };
}
