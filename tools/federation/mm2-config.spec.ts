import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mirrorMakerProperties } from './mm2-config';

describe('mirrorMakerProperties', () => {
  const text = mirrorMakerProperties({ alias: 'national', bootstrap: 'n:9092' }, { alias: 'region-a', bootstrap: 'a:9092' });
  const value = (key: string) => text.split('\n').find((line) => line.startsWith(`${key} =`))?.split(' = ')[1];

  it('sends up every integration topic of the region but the networks’ records', () => {
    const upward = value('region-a->national.topics') ?? '';
    expect(upward).toContain('inclusions\\\\.inclusion\\\\.v1');
    expect(upward).toContain('directory\\\\.microstructure\\\\.v1');
    expect(upward).toContain('training\\\\.national-day-request\\\\.v1');
    expect(upward).not.toContain('directory\\\\.network');
    expect(upward).not.toContain('national-day-answer');
  });

  it('sends down what the national level owns only', () => {
    expect(value('national->region-a.topics')).toBe('directory\\\\.network\\\\.v1|training\\\\.training\\\\.v1|training\\\\.national-day-answer\\\\.v1');
  });
});

describe('the committed MirrorMaker configurations', () => {
  const root = path.resolve(__dirname, '../..');

  it.each(['region-a', 'region-b'])('docker-compose: deploy/compose/mm2-%s.properties is what the generator writes', (region) => {
    const committed = readFileSync(path.join(root, 'deploy', 'compose', `mm2-${region}.properties`), 'utf8');
    expect(committed).toBe(mirrorMakerProperties({ alias: 'national', bootstrap: 'kafka:9092' }, { alias: region, bootstrap: `kafka-${region}:9092` }));
  });

  it('Kubernetes: the regional overlay’s mm2.properties is what the generator writes', () => {
    const manifest = readFileSync(path.join(root, 'deploy', 'k8s', 'overlays', 'regional', 'mirror-maker.yaml'), 'utf8');
    const block = manifest.split('  mm2.properties: |\n')[1].split('\n---\n')[0];
    const committed = block
      .split('\n')
      .map((line) => line.replace(/^ {4}/, ''))
      .join('\n');
    const generated = mirrorMakerProperties({ alias: 'national', bootstrap: 'kafka.cnrms-national:9092' }, { alias: 'region-example', bootstrap: 'kafka.cnrms-region-example:9092' }, { replicationFactor: 3 });
    expect(`${committed.trimEnd()}\n`).toBe(generated.trimEnd() + '\n');
  });
});
