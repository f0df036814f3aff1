#!/usr/bin/env node
// Compiles a service (or the gateway) to plain JavaScript under dist/, so that `npm start` and the end-to-end
// tests run `node dist/apps/<name>/src/main.js` instead of transpiling TypeScript at every start.
//
//   node tools/build/build.js <project…|--all> [--force] [--check]
//
// swc (@swc/core, already a dependency) compiles every file the entry point reaches, with decorator metadata
// and the tsconfig path aliases (`@cnrms/*`) rewritten to relative paths, so the output needs no loader. The
// layout under dist/ mirrors the repository (dist/apps/directory/src/main.js, dist/libs/auth/src/index.js), and
// the libraries are shared by the projects. A manifest per project (dist/.build/<project>.json) records every
// input's size and modification time: a project is rebuilt only when one of them changed (or the compiler
// settings, the lock file or this script did); only the changed files are compiled again. `--check` exits 1
// when a build is missing or stale, without building.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const manifests = path.join(dist, '.build');

/** What `npm start` runs, and their entry points: every service, the gateway, the demo loader and the token command. */
const ENTRIES = {
  directory: 'apps/directory/src/main.ts',
  inclusions: 'apps/inclusions/src/main.ts',
  meetings: 'apps/meetings/src/main.ts',
  training: 'apps/training/src/main.ts',
  reporting: 'apps/reporting/src/main.ts',
  notifications: 'apps/notifications/src/main.ts',
  gateway: 'apps/gateway/src/main.ts',
  demo: 'tools/demo/load-demo.ts',
  'dev-token': 'libs/auth/src/dev-token.cli.ts',
};
const PROJECTS = Object.keys(ENTRIES);
const entryOf = (project) => path.join(root, ENTRIES[project]);
/** Where a project's compiled entry point is. */
const mainOf = (project) => outputOf(entryOf(project));

/** Settings that change every output when they change. */
function settingsFingerprint() {
  const hash = crypto.createHash('sha256');
  for (const file of [path.join(root, 'tsconfig.base.json'), __filename, path.join(root, 'package-lock.json')]) {
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '');
  }
  hash.update(require('@swc/core').version);
  return hash.digest('hex');
}

function swcOptions(filename) {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
  const paths = Object.fromEntries(Object.entries(tsconfig.paths ?? {}).map(([alias, targets]) => [alias, targets.map((t) => path.resolve(root, t))]));
  return {
    filename,
    sourceMaps: true,
    sourceFileName: path.relative(path.dirname(outputOf(filename)), filename),
    swcrc: false,
    configFile: false,
    module: { type: 'commonjs', strict: false, noInterop: false, ignoreDynamic: false },
    jsc: {
      parser: { syntax: 'typescript', tsx: filename.endsWith('.tsx'), decorators: true, dynamicImport: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: tsconfig.useDefineForClassFields ?? false },
    },
  };
}

const outputOf = (source) => path.join(dist, path.relative(root, source)).replace(/\.tsx?$/, '.js');

/** The local module a compiled `require(...)` names, as a source file, or undefined (a package). */
function resolveLocal(fromSource, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromSource), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), `${base}.json`]) {
    if (/\.(tsx?|json)$/.test(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(root, fromSource)}: cannot find ${specifier}`);
}

function stamp(file) {
  const stat = fs.statSync(file);
  return `${stat.size}:${Math.floor(stat.mtimeMs)}`;
}

function writeAtomically(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

function readManifest(project) {
  try {
    return JSON.parse(fs.readFileSync(path.join(manifests, `${project}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why the project must be built again, or null when its build is up to date. */
function staleReason(project, fingerprint = settingsFingerprint()) {
  const manifest = readManifest(project);
  if (!manifest || !fs.existsSync(mainOf(project))) return 'no build yet';
  if (manifest.settings !== fingerprint) return 'compiler settings or packages changed';
  for (const [file, { stamp: recorded }] of Object.entries(manifest.files)) {
    const source = path.join(root, file);
    if (!fs.existsSync(source)) return `${file} was removed`;
    if (stamp(source) !== recorded) return `${file} changed`;
    if (!fs.existsSync(outputOf(source))) return `${path.relative(root, outputOf(source))} is missing`;
  }
  return null;
}

/** Compiles what the project's entry point reaches; returns the number of files compiled again. */
function buildProject(project, { force = false, fingerprint = settingsFingerprint() } = {}) {
  const swc = require('@swc/core');
  const previous = force ? undefined : readManifest(project);
  const reuse = previous && previous.settings === fingerprint ? previous.files : {};
  const files = {};
  const queue = [entryOf(project)];
  let compiled = 0;
  while (queue.length) {
    const source = queue.pop();
    const key = path.relative(root, source);
    if (files[key]) continue;
    const current = stamp(source);
    const output = outputOf(source);
    let dependencies;
    if (reuse[key] && reuse[key].stamp === current && fs.existsSync(output)) {
      dependencies = reuse[key].dependencies;
    } else if (source.endsWith('.json')) {
      writeAtomically(output.replace(/\.js$/, '.json'), fs.readFileSync(source));
      dependencies = [];
    } else {
      const { code, map } = swc.transformSync(fs.readFileSync(source, 'utf8'), swcOptions(source));
      const requires = [...code.matchAll(/\brequire\((["'])(\.[^"']*)\1\)/g)].map((match) => match[2]);
      dependencies = [...new Set(requires)].map((specifier) => path.relative(root, resolveLocal(source, specifier)));
      writeAtomically(output, `${code}\n//# sourceMappingURL=${path.basename(output)}.map\n`);
      writeAtomically(`${output}.map`, map);
      compiled += 1;
    }
    files[key] = { stamp: current, dependencies };
    for (const dependency of dependencies) queue.push(path.join(root, dependency));
  }
  writeAtomically(path.join(manifests, `${project}.json`), JSON.stringify({ settings: fingerprint, files }, null, 1));
  return compiled;
}

/**
 * Builds every project whose build is missing or stale (all of them with `force`), saying why;
 * returns the projects built.
 */
function ensureBuilt(projects = PROJECTS, { force = false, log = (m) => console.log(`[build] ${m}`) } = {}) {
  const fingerprint = settingsFingerprint();
  const built = [];
  const started = Date.now();
  for (const project of projects) {
    const reason = force ? 'forced' : staleReason(project, fingerprint);
    if (!reason) continue;
    const compiled = buildProject(project, { force, fingerprint });
    built.push(`${project} (${reason}; ${compiled} files compiled)`);
  }
  if (built.length) log(`built ${built.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return built;
}

module.exports = { PROJECTS, ensureBuilt, staleReason, mainOf };

if (require.main === module) {
  const args = process.argv.slice(2);
  const projects = args.includes('--all') ? PROJECTS : args.filter((a) => !a.startsWith('--'));
  const unknown = projects.filter((p) => !PROJECTS.includes(p));
  if (!projects.length || unknown.length) {
    console.error(`usage: node tools/build/build.js <${PROJECTS.join('|')}…|--all> [--force] [--check]${unknown.length ? `\nunknown: ${unknown.join(', ')}` : ''}`);
    process.exit(2);
  }
  try {
    if (args.includes('--check')) {
      const stale = projects.map((p) => [p, staleReason(p)]).filter(([, reason]) => reason);
      for (const [project, reason] of stale) console.log(`${project}: ${reason}`);
      process.exit(stale.length ? 1 : 0);
    }
    if (!ensureBuilt(projects, { force: args.includes('--force') }).length) console.log(`[build] up to date: ${projects.join(', ')}`);
  } catch (error) {
    console.error(`[build] ${error.message}`);
    process.exit(1);
  }
}
