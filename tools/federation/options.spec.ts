import { federationOptions, FederationOptions } from './options';

describe('federationOptions', () => {
  it('places the national deployment and two regions side by side, each its own ports, broker and database', () => {
    const options = federationOptions([], { FEDERATION_PORT_OFFSET: '3700', FEDERATION_KAFKA_PORT: '19140' }) as FederationOptions;
    expect(options.national).toMatchObject({ alias: 'national', database: 'cnrms_federation_national', portOffset: 3700, kafkaPort: 19140 });
    expect(options.regions.map((r) => [r.alias, r.database, r.portOffset, r.kafkaPort])).toEqual([
      ['region-a', 'cnrms_federation_region_a', 3720, 19142],
      ['region-b', 'cnrms_federation_region_b', 3740, 19144],
    ]);
  });

  it('takes the number of regions and refuses a bad one', () => {
    expect((federationOptions(['--regions', '1'], {}) as FederationOptions).regions).toHaveLength(1);
    expect(() => federationOptions(['--regions', '9'], {})).toThrow('--regions');
    expect(() => federationOptions([], { FEDERATION_NAME: 'Bad Name' })).toThrow('FEDERATION_NAME');
  });
});
