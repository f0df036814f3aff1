import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The Nx module-boundary rule really refuses the dependencies the architecture forbids. */
describe('module boundaries', () => {
  const root = path.resolve(__dirname, '../../..');

  // The rule reads Nx's project graph; without a cached one it skips silently, so compute it first.
  beforeAll(() => {
    const graph = spawnSync(path.join(root, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
    expect(graph.status).toBe(0);
  }, 120_000);

  /** Lints `source` as if it were `file`, with the workspace's own ESLint configuration (as `npm run lint` does). */
  async function boundaryErrors(file: string, source: string): Promise<string[]> {
    const run = spawnSync(path.join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', file, '--format', 'json'], { cwd: root, input: source, encoding: 'utf8' });
    const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as { messages: { ruleId: string | null; message: string }[] }[];
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  it.each([
    ['a domain lib importing infrastructure', 'libs/domain/directory/src/probe.ts', "import { PostgresEventStore } from '@cnrms/eventsourcing';\nexport const probe = PostgresEventStore;\n"],
    ['a domain lib importing a backend framework', 'libs/domain/directory/src/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n"],
    ['a service importing another service’s domain', 'apps/meetings/src/probe.ts', "import * as directory from '@cnrms/domain-directory';\nexport const probe = directory;\n"],
    ['the gateway importing a service’s domain', 'apps/gateway/src/probe.ts', "import * as directory from '@cnrms/domain-directory';\nexport const probe = directory;\n"],
  ])('refuses %s', async (_what, file, source) => {
    expect(await boundaryErrors(file, source)).not.toEqual([]);
  });

  it('accepts a service using its own domain and the shared libs', async () => {
    const source = "import * as directory from '@cnrms/domain-directory';\nimport { PostgresEventStore } from '@cnrms/eventsourcing';\nexport const probe = [directory, PostgresEventStore];\n";
    expect(await boundaryErrors('apps/directory/src/probe.ts', source)).toEqual([]);
  });
});
