import { z } from 'zod';
import { ContractRegistry, ContractViolation, defineContract } from './contract';
import { MembershipStarted, platformContracts } from './index';

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
  });

  it('registers every platform contract once, on a versioned topic', () => {
    const contracts = platformContracts();
    expect(contracts.get(MembershipStarted.type)?.topic).toMatch(/^directory\.[a-z]+\.v\d+$/);
    expect(() => contracts.register(MembershipStarted)).toThrow(/twice/);
  });
});
