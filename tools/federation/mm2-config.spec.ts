import { mirrorMakerProperties } from './mm2-config';

describe('mirrorMakerProperties', () => {
  const text = mirrorMakerProperties({ alias: 'national', bootstrap: 'n:9092' }, { alias: 'region-a', bootstrap: 'a:9092' });
  const value = (key: string) => text.split('\n').find((line) => line.startsWith(`${key} =`))?.split(' = ')[1];

  it('sends up every integration topic of the region but the networks’ records', () => {
    const upward = value('region-a->national.topics') ?? '';
    expect(upward).toContain('inclusions\\\\.inclusion\\\\.v1');
    expect(upward).toContain('directory\\\\.microstructure\\\\.v1');
    expect(upward).not.toContain('directory\\\\.network');
  });

  it('sends down what the national level owns only', () => {
    expect(value('national->region-a.topics')).toBe('directory\\\\.network\\\\.v1|training\\\\.training\\\\.v1');
  });
});
