// Builds the dashboard (apps/dashboard, vite) when its build is missing or older than its sources, so
// that `npm start` on a fresh checkout serves it. `node tools/start/dashboard-build.js [--force]`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const app = path.join(root, 'apps', 'dashboard');
const built = path.join(app, 'dist', 'index.html');
// What the build reads: the sources, the page, the build settings, and the installed packages.
const inputs = [path.join(app, 'src'), path.join(app, 'index.html'), path.join(app, 'vite.config.mjs'), path.join(app, 'public'), path.join(root, 'package-lock.json')];

function newestChange(entry) {
  // Specs are not part of the build.
  if (!fs.existsSync(entry) || /\.spec\.tsx?$/.test(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs);
}

/** Why a build is needed, or null when the build is up to date. */
function staleReason() {
  if (!fs.existsSync(built)) return 'no build yet';
  const builtAt = fs.statSync(built).mtimeMs;
  const changed = inputs.find((input) => newestChange(input) > builtAt);
  return changed ? `${path.relative(root, changed)} changed since the last build` : null;
}

function ensureDashboardBuilt({ force = false, log = (m) => console.log(`[dashboard] ${m}`) } = {}) {
  if (!fs.existsSync(path.join(app, 'index.html'))) return false;
  const reason = force ? 'forced' : staleReason();
  if (!reason) return false;
  log(`building the dashboard (${reason})…`);
  const started = Date.now();
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  // Built aside, then swapped in: two platforms starting at once (tests) never serve a half-written build.
  const dist = path.join(app, 'dist');
  const fresh = path.join(app, `.dist-${process.pid}`);
  const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(app, 'vite.config.mjs'), '--outDir', fresh, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    fs.rmSync(fresh, { recursive: true, force: true });
    throw new Error(`the dashboard build failed (exit ${result.status}); the gateway would serve no dashboard`);
  }
  const old = path.join(app, `.dist-old-${process.pid}`);
  try {
    if (fs.existsSync(dist)) fs.renameSync(dist, old);
    fs.renameSync(fresh, dist);
  } catch (error) {
    // Another start built and swapped in its own build meanwhile: keep that one.
    if (!fs.existsSync(path.join(dist, 'index.html'))) throw error;
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  fs.rmSync(old, { recursive: true, force: true });
  log(`dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

module.exports = { ensureDashboardBuilt, staleReason };

if (require.main === module) {
  try {
    ensureDashboardBuilt({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(`[dashboard] ${error.message}`);
    process.exit(1);
  }
}
