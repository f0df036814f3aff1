import * as directory from './index';

describe('Directory public API', () => {
  describe('stream ids', () => {
    it('names each stream <category>-<id>', () => {
      expect(directory.nationalNetworkStream()).toBe('nationalnetwork-cnrms');
      expect(directory.regionalNetworkStream('net-1')).toBe('network-net-1');
      expect(directory.microstructureStream('ms-1')).toBe('microstructure-ms-1');
      expect(directory.professionalStream('pro-1')).toBe('professional-pro-1');
      expect(directory.rppsStream('10003456786')).toBe('rpps-10003456786');
      expect(directory.adeliStream('2A1234567')).toBe('adeli-2A1234567');
    });

    it('keeps categories free of dashes, so that the store derives them', () => {
      for (const category of Object.values(directory.DIRECTORY_STREAM_CATEGORIES)) expect(category).not.toContain('-');
    });

    it('refuses an empty id', () => {
      expect(() => directory.microstructureStream('')).toThrow(expect.objectContaining({ code: 'ID_REQUIRED' }));
    });
  });

  describe('event types', () => {
    it('lists every event type once', () => {
      expect(new Set(directory.DIRECTORY_EVENT_TYPES).size).toBe(directory.DIRECTORY_EVENT_TYPES.length);
      expect(directory.DIRECTORY_EVENT_TYPES).toEqual(expect.arrayContaining(['MicrostructureCreated', 'ProfessionalJoinedMicrostructure', 'RppsClaimed', 'AdeliClaimed']));
    });

    it('tells a directory event from another', () => {
      expect(directory.isDirectoryEvent({ type: 'MicrostructureOpened' })).toBe(true);
      expect(directory.isDirectoryEvent({ type: 'PatientIncluded' })).toBe(false);
      expect(directory.isDirectoryEvent({ type: 'toString' })).toBe(false);
    });
  });

  it('exports every decider', () => {
    for (const decider of [
      directory.nationalNetworkDecider,
      directory.regionalNetworkDecider,
      directory.microstructureDecider,
      directory.professionalDecider,
      directory.rppsClaimDecider,
      directory.adeliClaimDecider,
    ]) {
      expect(decider).toEqual({ initialState: expect.any(Function), decide: expect.any(Function), evolve: expect.any(Function) });
    }
  });
});
