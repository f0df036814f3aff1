import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The operators' dashboard and alert rules (deploy/observability) stay in line with the code: every
 * metric they name is one a service declares, the alerts cover projection lag, dead letters and relay
 * backlog, and docker-compose.yml mounts files that exist. (The files' syntax is checked by
 * `docker compose config` for compose; Grafana's JSON here.)
 */
const root = path.resolve(__dirname, '../../..');
const observability = path.join(root, 'deploy/observability');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.spec.ts') ? [full] : [];
  });
}

/** The metrics the services declare (`name: 'cnrms_…'` in prom-client's constructors). */
const declared = new Set(
  [...sourceFiles(path.join(root, 'libs')), ...sourceFiles(path.join(root, 'apps'))].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/name: '(cnrms_[a-z0-9_]+)'/g)].map((m) => m[1])),
);
const named = (text: string) => new Set([...text.matchAll(/\b(cnrms_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));

describe('observability configuration', () => {
  const alerts = read('deploy/observability/prometheus/alerts.yml');
  const dashboard = JSON.parse(read('deploy/observability/grafana/dashboards/platform.json')) as { uid: string; panels: { id: number; title: string; targets: { expr: string }[] }[] };

  it('finds the metrics the services declare', () => {
    expect([...declared]).toEqual(expect.arrayContaining(['cnrms_projection_lag_events', 'cnrms_dead_letters_total', 'cnrms_relay_backlog_events', 'cnrms_gateway_errors_total']));
  });

  it('alerts on projection lag, dead letters and relay backlog, with metrics that exist', () => {
    const used = named(alerts);
    expect([...used].filter((metric) => !declared.has(metric))).toEqual([]);
    for (const metric of ['cnrms_projection_lag_events', 'cnrms_dead_letters_total', 'cnrms_relay_backlog_events']) expect(used).toContain(metric);
    const rules = [...alerts.matchAll(/- alert: (\w+)\n\s+expr: (.+)/g)].map((m) => m[1]);
    expect(rules).toEqual(expect.arrayContaining(['ProjectionLagHigh', 'DeadLetters', 'RelayBacklogHigh']));
    expect(new Set(rules).size).toBe(rules.length);
  });

  it('draws a dashboard over metrics that exist, every panel with a query', () => {
    const used = named(JSON.stringify(dashboard));
    expect([...used].filter((metric) => !declared.has(metric))).toEqual([]);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) expect(panel.targets.every((target) => target.expr.length > 0)).toBe(true);
  });

  it('is mounted by docker-compose.yml from files that exist', () => {
    const compose = read('docker-compose.yml');
    const mounted = [...compose.matchAll(/- \.\/(deploy\/observability\/[^:]+):/g)].map((m) => m[1]);
    expect(mounted.length).toBeGreaterThanOrEqual(5);
    for (const file of mounted) expect(statSync(path.join(root, file))).toBeTruthy();
    expect(statSync(observability).isDirectory()).toBe(true);
    expect(compose).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4318');
  });
});
