import { z } from 'zod';
import { ContractRegistry, ContractViolation, defineContract } from './contract';
import { deadLetterTopic, FOREVER, MembershipStarted, MicrostructureCreated, NetworkCreated, PartnerAdded, platformContracts, TOPICS, topicsOf, topicsWithDeadLetters } from './index';

describe('integration event contracts', () => {
  const v2 = defineContract({
    type: 'test.ThingHappened',
    version: 2,
    topic: 'test.thing.v1',
    schema: z.object({ thingId: z.string(), size: z.number().int() }),
    upcasters: [{ from: 1, upcast: (payload) => ({ ...(payload as object), size: 0 }) }],
  });
  const registry = new ContractRegistry([v2]);

  describe('when publishing', () => {
    it('accepts a payload that matches the current version', () => {
      expect(registry.validateForPublish('test.ThingHappened', 2, { thingId: 't-1', size: 3 })).toEqual({ thingId: 't-1', size: 3 });
    });

    it('refuses a payload that does not match, naming the field', () => {
      expect(() => registry.validateForPublish('test.ThingHappened', 2, { thingId: 't-1', size: 'big' })).toThrow(/size/);
    });

    it('refuses an old version or an unknown type', () => {
      expect(() => registry.validateForPublish('test.ThingHappened', 1, { thingId: 't-1' })).toThrow(ContractViolation);
      expect(() => registry.validateForPublish('test.Unknown', 1, {})).toThrow(ContractViolation);
    });
  });

  describe('when consuming', () => {
    it('upcasts an older version to the current shape', () => {
      expect(registry.decode('test.ThingHappened', 1, { thingId: 't-1' })).toEqual({ kind: 'accepted', payload: { thingId: 't-1', size: 0 }, version: 2 });
    });

    it('parks a newer version instead of failing', () => {
      expect(registry.decode('test.ThingHappened', 3, { anything: true })).toEqual({ kind: 'parked', reason: expect.stringMatching(/newer/) });
    });

    it('parks an unknown type', () => {
      expect(registry.decode('test.SomethingElse', 1, {})).toEqual({ kind: 'parked', reason: expect.stringMatching(/unknown/) });
    });

    it('refuses a malformed payload', () => {
      expect(() => registry.decode('test.ThingHappened', 2, { thingId: 42 })).toThrow(ContractViolation);
    });

    it('refuses an upcast payload that still does not match, with zod issues and without the values', () => {
      let violation: unknown;
      try {
        registry.decodeOnConsume('test.ThingHappened', 1, { thingId: 'secret-value-42', size: 'ignored' });
        registry.decodeOnConsume('test.ThingHappened', 1, { thingId: 7 });
      } catch (error) {
        violation = error;
      }
      expect(violation).toBeInstanceOf(ContractViolation);
      const { issues, problems, message } = violation as ContractViolation;
      expect(issues).toEqual([expect.objectContaining({ path: ['thingId'], code: 'invalid_type' })]);
      expect(problems).toEqual(['thingId: Expected string, received number']);
      expect(message).not.toMatch(/7/);
    });

    it('refuses a version that is not a positive integer', () => {
      expect(() => registry.decodeOnConsume('test.ThingHappened', 0, {})).toThrow(/positive integer/);
    });

    it('upcasts through every intermediate version', () => {
      const v3 = new ContractRegistry([
        defineContract({
          type: 'test.Renamed',
          version: 3,
          topic: 'test.renamed.v1',
          schema: z.object({ label: z.string(), tags: z.array(z.string()) }),
          upcasters: [
            { from: 2, upcast: (p) => ({ ...(p as object), tags: [] }) },
            { from: 1, upcast: (p) => ({ label: (p as { name: string }).name }) },
          ],
        }),
      ]);
      expect(v3.decodeOnConsume('test.Renamed', 1, { name: 'x' })).toEqual({ kind: 'accepted', payload: { label: 'x', tags: [] }, version: 3 });
      expect(v3.decodeOnConsume('test.Renamed', 2, { label: 'y' })).toEqual({ kind: 'accepted', payload: { label: 'y', tags: [] }, version: 3 });
    });
  });

  it('refuses an upcaster that cannot apply', () => {
    const schema = z.object({});
    expect(() => defineContract({ type: 't.A', version: 2, topic: 't.a.v1', schema, upcasters: [{ from: 2, upcast: (p) => p }] })).toThrow(/upcaster from v2/);
    expect(() => defineContract({ type: 't.A', version: 3, topic: 't.a.v1', schema, upcasters: [{ from: 1, upcast: (p) => p }, { from: 1, upcast: (p) => p }] })).toThrow(/two upcasters/);
  });

  it('registers every platform contract once, on a versioned topic', () => {
    const contracts = platformContracts();
    expect(contracts.get(MembershipStarted.type)?.topic).toMatch(/^directory\.[a-z]+\.v\d+$/);
    expect(() => contracts.register(MembershipStarted)).toThrow(/twice/);
  });

  it('puts every contract on a topic of the catalogue, published by the service its type names', () => {
    const names = new Set(TOPICS.map((t) => t.name));
    for (const contract of platformContracts().all()) {
      expect(names).toContain(contract.topic);
      const service = contract.type.split('.')[0];
      expect(TOPICS.find((t) => t.name === contract.topic)?.service).toBe(service);
    }
    expect(topicsOf('directory').map((t) => t.name)).toEqual(['directory.network.v1', 'directory.microstructure.v1', 'directory.professional.v1']);
    expect(new Set(TOPICS.map((t) => t.name)).size).toBe(TOPICS.length);
  });

  it('creates a dead-letter topic beside each topic, kept at least 30 days', () => {
    const all = topicsWithDeadLetters([
      { name: 'a.b.v1', partitions: 3, retentionMs: 1000 },
      { name: 'a.c.v1', partitions: 6, retentionMs: FOREVER },
    ]);
    expect(all).toEqual([
      { name: 'a.b.v1', partitions: 3, retentionMs: 1000 },
      { name: deadLetterTopic('a.b.v1'), partitions: 1, retentionMs: 30 * 24 * 3600 * 1000 },
      { name: 'a.c.v1', partitions: 6, retentionMs: FOREVER },
      { name: 'a.c.v1.dlq', partitions: 1, retentionMs: FOREVER },
    ]);
  });

  describe('directory contracts', () => {
    const contracts = platformContracts();

    it('reads a MicrostructureCreated published before its status existed as created IN_CREATION', () => {
      const payload = { microstructureId: 'ms-1', networkId: 'net-1', name: 'MSP du Lac', kind: 'ADDICTION', department: '74' };
      expect(contracts.decodeOnConsume(MicrostructureCreated.type, 1, payload)).toEqual({ kind: 'accepted', payload: { ...payload, status: 'IN_CREATION' }, version: 1 });
      expect(() => contracts.validateForPublish(MicrostructureCreated.type, 1, { ...payload, status: 'ACTIVE' })).toThrow(/status/);
    });

    it('reads a NetworkCreated v1, whose region was free text, with an unknown region code', () => {
      const payload = { networkId: 'net-1', name: 'Réseau Alsace', region: 'GRAND_EST', departments: ['67'] };
      expect(contracts.decodeOnConsume(NetworkCreated.type, 1, payload)).toMatchObject({ kind: 'accepted', payload: { ...payload, regionCode: null } });
      expect(() => contracts.validateForPublish(NetworkCreated.type, 2, { ...payload, regionCode: 'Grand Est' })).toThrow(/regionCode/);
      expect(contracts.validateForPublish(NetworkCreated.type, 2, { ...payload, region: 'Grand Est', regionCode: '44' })).toMatchObject({ regionCode: '44' });
    });

    it('lets a partner organisation cross, never its contact', () => {
      const payload = { microstructureId: 'ms-1', networkId: 'net-1', partnerId: 'p-1', name: 'CSAPA Annecy', partnerType: 'CSAPA', contact: 'dr.x@example.org' };
      const decoded = contracts.decodeOnConsume(PartnerAdded.type, 1, payload);
      expect(decoded).toEqual({ kind: 'accepted', version: 1, payload: { microstructureId: 'ms-1', networkId: 'net-1', partnerId: 'p-1', name: 'CSAPA Annecy', partnerType: 'CSAPA' } });
    });
  });
});
