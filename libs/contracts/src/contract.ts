import { z } from 'zod';

/**
 * An integration event's contract: what crosses from one service to the others. Its payload is
 * validated when published and when consumed; a newer version than the consumer knows is parked, an
 * older one is upcast to the current shape.
 */
export interface Contract<Payload = unknown, Input = Payload> {
  /** `<service>.<EventName>`, e.g. `directory.MicrostructureOpened`. */
  type: string;
  /** Current version of the payload schema. */
  version: number;
  /** Topic it travels on: `<service>.<aggregate>.v<N>`, keyed by the aggregate id. */
  topic: string;
  /** Validates (and normalises: defaults of fields added later) a payload of the current version. */
  schema: z.ZodType<Payload, z.ZodTypeDef, Input>;
  /** Upcasters from each older version to the next one (`from: 1` turns a v1 payload into v2). */
  upcasters?: { from: number; upcast: (payload: unknown) => unknown }[];
}

export function defineContract<Payload, Input = Payload>(contract: Contract<Payload, Input>): Contract<Payload, Input> {
  const froms = (contract.upcasters ?? []).map((u) => u.from);
  for (const from of froms) {
    if (!Number.isInteger(from) || from < 1 || from >= contract.version) throw new Error(`Contract ${contract.type} v${contract.version}: an upcaster from v${from} makes no sense`);
  }
  if (new Set(froms).size !== froms.length) throw new Error(`Contract ${contract.type}: two upcasters from the same version`);
  return contract;
}

/**
 * A payload that does not match its contract. `problems` are readable lines (`path: message`), `issues`
 * zod's own issues when zod found them. Values are never copied into the message (they may be personal).
 */
export class ContractViolation extends Error {
  constructor(
    readonly type: string,
    readonly version: number,
    readonly problems: string[],
    readonly issues: readonly z.ZodIssue[] = [],
  ) {
    super(`${type} v${version} does not match its contract: ${problems.join('; ')}`);
    this.name = 'ContractViolation';
  }
}

export type Decoded<Payload = unknown> =
  | { kind: 'accepted'; payload: Payload; version: number }
  /** A version this consumer does not know yet: kept aside, never crashed on. */
  | { kind: 'parked'; reason: string };

export class ContractRegistry {
  private readonly contracts = new Map<string, Contract>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(contracts: readonly Contract<any, any>[] = []) {
    for (const contract of contracts) this.register(contract);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  register(contract: Contract<any, any>): this {
    if (this.contracts.has(contract.type)) throw new Error(`Contract ${contract.type} is registered twice`);
    this.contracts.set(contract.type, contract as Contract);
    return this;
  }

  get(type: string): Contract | undefined {
    return this.contracts.get(type);
  }

  /** Checks a payload before it leaves its service; returns it as the schema parsed it. */
  validateForPublish<Payload>(type: string, version: number, payload: Payload): Payload {
    const contract = this.require(type);
    if (version !== contract.version) throw new ContractViolation(type, version, [`published as v${version}, the contract is at v${contract.version}`]);
    return this.parse(contract, version, payload) as Payload;
  }

  /** Same as `decode`: the name the consumers' side reads best. */
  decodeOnConsume(type: string, version: number, payload: unknown): Decoded {
    return this.decode(type, version, payload);
  }

  /** Every registered contract. */
  all(): Contract[] {
    return [...this.contracts.values()];
  }

  /** Checks what arrives; an older version is upcast, a newer one is parked, an invalid one refused. */
  decode(type: string, version: number, payload: unknown): Decoded {
    const contract = this.contracts.get(type);
    if (!contract) return { kind: 'parked', reason: `unknown event type ${type}` };
    if (!Number.isInteger(version) || version < 1) throw new ContractViolation(type, version, ['the version must be a positive integer']);
    if (version > contract.version) return { kind: 'parked', reason: `${type} v${version} is newer than the v${contract.version} this service knows` };
    let current = payload;
    for (let from = version; from < contract.version; from++) {
      const upcaster = contract.upcasters?.find((u) => u.from === from);
      if (!upcaster) throw new ContractViolation(type, version, [`no upcaster from v${from}`]);
      current = upcaster.upcast(current);
    }
    return { kind: 'accepted', payload: this.parse(contract, version, current), version: contract.version };
  }

  private require(type: string): Contract {
    const contract = this.contracts.get(type);
    if (!contract) throw new ContractViolation(type, 0, ['no contract is registered for this type']);
    return contract;
  }

  private parse(contract: Contract, version: number, payload: unknown): unknown {
    const result = contract.schema.safeParse(payload);
    if (!result.success) {
      const issues = result.error.issues;
      throw new ContractViolation(contract.type, version, issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`), issues);
    }
    return result.data;
  }
}

/** An integration event of `contract` about aggregate `key`, its payload checked by the compiler against the contract. */
export function messageOf<Payload, Input>(contract: Contract<Payload, Input>, key: string, payload: Input) {
  return { type: contract.type, version: contract.version, topic: contract.topic, key, payload };
}

/** The payload type of a contract, for consumers. */
export type PayloadOf<C> = C extends Contract<infer Payload, infer _Input> ? Payload : never;
