#!/usr/bin/env node
// `npm start`: the whole platform in embedded mode, one process per service, stopped with Ctrl-C.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { startEmbeddedPostgres } = require('./embedded-postgres');
const { ensureDashboardBuilt } = require('./dashboard-build');
const { ensureBuilt, mainOf } = require('../build/build');
const services = require('./services');

// PORT_OFFSET moves every port (a second platform beside the first, as the end-to-end tests run one).
// Avoid offsets that land on ports fetch refuses (e.g. 6000, 6665-6669).
const offset = Number(process.env.PORT_OFFSET ?? 0);
const subgraphs = services.subgraphs.map((s) => ({ ...s, port: s.port + offset }));
const gateway = { ...services.gateway, port: Number(process.env.GATEWAY_PORT ?? services.gateway.port + offset) };

const root = path.resolve(__dirname, '..', '..');
const started = Date.now();
const children = [];
let stopping = false;
let embedded;

const log = (message) => console.log(`[start] ${message}`);

async function main() {
  const env = { ...process.env };
  env.NODE_ENV ??= 'development';
  // The dashboard's sign-in page offers the demo identities, outside production only (the gateway refuses it there).
  if (env.NODE_ENV !== 'production') env.GATEWAY_DEMO_SIGN_IN ??= 'true';
  // The gateway serves apps/dashboard/dist at /: build it when missing or older than its sources.
  if (env.DASHBOARD_BUILD !== 'false') ensureDashboardBuilt({ log });
  // Every process runs from its compiled build (dist/, tools/build): built when missing or older than its sources.
  ensureBuilt(undefined, { log });
  if (!env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(root, '.data', 'postgres'),
      port: Number(env.EMBEDDED_POSTGRES_PORT ?? 54329),
      database: 'cnrms',
      log,
    });
    env.DATABASE_URL = embedded.url;
    log(`embedded PostgreSQL ready at ${embedded.url}`);
  } else {
    log('using DATABASE_URL');
  }

  for (const service of subgraphs) env[`${service.name.toUpperCase()}_URL`] = `http://127.0.0.1:${service.port}/graphql`;
  // Another platform's services on these ports would answer the health checks in place of ours.
  await waitForFreePorts([...subgraphs, gateway]);
  await Promise.all(subgraphs.map((service) => startProcess(service, env)));
  await startProcess(gateway, env);
  const gatewayUrl = `http://localhost:${gateway.port}`;

  const demo = env.DEMO_DATA !== 'false';
  const demoEnv = { ...env, GATEWAY_URL: gatewayUrl };
  // The demo's directory, care team and trainings before the platform is said ready; its generated year after.
  if (demo) await run(process.execPath, ['--enable-source-maps', mainOf('demo'), '--if-empty', '--phase', 'base'], demoEnv);

  log(`platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`dashboard: ${gatewayUrl}/`);
  log(`GraphQL: ${gatewayUrl}/graphql`);
  log('development token (admin), for the Authorization: Bearer header:');
  await run(process.execPath, [mainOf('dev-token'), '--role', 'admin', '--name', 'Admin démo'], env);
  log('Ctrl-C stops everything.');
  if (demo && env.DEMO_HISTORY !== 'false') loadDemoYear(demoEnv);
}

/**
 * The demo's generated year of activity, loaded through the gateway while the platform is already usable
 * (the dashboard fills as it comes). Says when it starts and when it is done: `demo year loaded` is the
 * signal the end-to-end tests that need the whole year wait for (apps/e2e/src/platform.ts, demoLoaded()).
 */
function loadDemoYear(env) {
  const since = Date.now();
  log("the demo's generated year is still loading (the platform is usable meanwhile; a line says when it is done)");
  const child = spawn(process.execPath, ['--enable-source-maps', mainOf('demo'), '--phase', 'history'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    if (code === 0) log(`demo year loaded in ${((Date.now() - since) / 1000).toFixed(1)} s`);
    else log(`demo year not loaded (${signal ?? `code ${code}`}); the platform runs on. Start again to complete it.`);
  });
}

/** Whether nothing listens on the port (a listener on any address makes binding the loopback fail). */
function portFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Waits while another process still holds a port of the platform (a platform that is stopping frees them in
 * a few seconds), saying which; gives up after PORT_WAIT_S seconds (20 by default) with what to do.
 */
async function waitForFreePorts(processes, waitMs = Number(process.env.PORT_WAIT_S ?? 20) * 1000) {
  const since = Date.now();
  let said = false;
  for (;;) {
    const taken = [];
    for (const { name, port } of processes) if (!(await portFree(port))) taken.push(`${name} ${port}`);
    if (taken.length === 0) return;
    if (Date.now() - since > waitMs) {
      throw new Error(`ports in use by another process: ${taken.join(', ')} — stop it, or move this platform with PORT_OFFSET`);
    }
    if (!said) log(`waiting for ports in use by another process to be freed: ${taken.join(', ')}`);
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function startProcess({ name, port }, env) {
  const child = spawn(process.execPath, ['--enable-source-maps', mainOf(name)], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    children.splice(children.indexOf(child), 1);
    // RESTART_CRASHED_SERVICES=true: a supervisor's policy (as a container's restart policy): the service starts again.
    if (env.RESTART_CRASHED_SERVICES === 'true') {
      log(`${name} stopped unexpectedly (${signal ?? `code ${code}`}); restarting it`);
      startProcess({ name, port }, env).then(
        () => log(`${name} restarted`),
        (error) => {
          log(`${name} could not restart: ${error.message}; stopping the platform`);
          shutdown(1);
        },
      );
      return;
    }
    log(`${name} stopped unexpectedly (${signal ?? `code ${code}`}); stopping the platform`);
    shutdown(1);
  });
  return waitForHealth(name, `http://127.0.0.1:${port}/health/live`, child.pid);
}

/**
 * Waits for a service's health check while the service makes progress: the wait gives up only after
 * SERVICE_READY_TIMEOUT_S seconds (60 by default) in which its process used no CPU time at all (stuck), not
 * after a fixed time, so that a loaded machine that only makes everything slower does not stop the start.
 * Where the process's CPU time cannot be read (no /proc), the limit counts from the start.
 */
async function waitForHealth(name, url, pid, stallMs = Number(process.env.SERVICE_READY_TIMEOUT_S ?? 60) * 1000) {
  const since = Date.now();
  let lastProgress = since;
  let lastTicks = cpuTicks(pid);
  let lastNotice = since;
  while (!stopping) {
    try {
      const response = await fetch(url);
      if (response.ok) return log(`${name} ready`);
    } catch {
      // not listening yet
    }
    const ticks = cpuTicks(pid);
    if (ticks !== undefined && ticks !== lastTicks) {
      lastTicks = ticks;
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > stallMs) {
      throw new Error(`${name} did not become ready at ${url}: no progress for ${stallMs / 1000} s (SERVICE_READY_TIMEOUT_S)`);
    }
    if (Date.now() - lastNotice >= 20_000) {
      lastNotice = Date.now();
      log(`still waiting for ${name} (${Math.round((Date.now() - since) / 1000)} s; it is still starting)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** CPU time (user + system, in clock ticks) a process has used so far; undefined where /proc is missing. */
function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with code ${code}`))));
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  if (embedded) await embedded.stop().catch(() => undefined);
  process.exit(code);
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
main().catch((error) => {
  console.error(`[start] ${error.message}`);
  shutdown(1);
});
