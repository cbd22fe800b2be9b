/** The example alert rules (`ops/alerts.yml`) parse, cover the conditions operators page on, and name only metrics the hub exposes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/standards/index.ts';
import { startOpsHub, type OpsHub } from './helpers/ops-hub.ts';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The file is YAML in its JSON-compatible flow style: full-line comments aside, it is JSON. */
function loadRules(): Rule[] {
  const text = readFileSync(join(REPO_ROOT, 'ops/alerts.yml'), 'utf8');
  const json = text.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n');
  const doc = JSON.parse(json) as { groups: Array<{ name: string; rules: Rule[] }> };
  return doc.groups.flatMap((g) => g.rules);
}

const PROMQL_WORDS = new Set(['sum', 'min', 'max', 'avg', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

/** The metric names an expression reads: identifiers that are not functions, keywords, label names or durations. */
export function metricsOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (!name || call || PROMQL_WORDS.has(name)) continue;
    names.add(name);
  }
  return [...names];
}

let hub: OpsHub;
let families: Set<string>;

beforeAll(async () => {
  hub = await startOpsHub();
  const text = (await hub.call('GET', '/metrics', { key: hub.keys.operator })).text;
  families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? ''));
});
afterAll(async () => { await hub.close(); });

describe('ops/alerts.yml', () => {
  it('parses, and every rule has a name, an expression, a duration, a severity and a summary', () => {
    const rules = loadRules();
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Suyuan[A-Za-z]+$/);
      expect(rule.expr.length).toBeGreaterThan(10);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['page', 'ticket']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
    }
  });

  it('covers silence, the 10-minute error ratio, growing dead letters, the oldest waiting message and open circuits', () => {
    const exprs = loadRules().map((r) => r.expr);
    expect(exprs.some((e) => e.includes('suyuan_feed_last_success_timestamp_seconds') && e.includes('suyuan_feed_expected_interval_seconds'))).toBe(true);
    expect(exprs.some((e) => e.includes('suyuan_feed_messages_total') && e.includes('[10m]'))).toBe(true);
    expect(exprs.some((e) => e.includes('suyuan_dead_letters_total'))).toBe(true);
    expect(exprs.some((e) => e.includes('suyuan_queue_oldest_waiting_seconds'))).toBe(true);
    expect(exprs.some((e) => e.includes('suyuan_circuit_state'))).toBe(true);
  });

  it('names only metrics that /metrics exposes', () => {
    const named = loadRules().flatMap((r) => metricsOf(r.expr));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((n) => !families.has(n))).toEqual([]);
  });

  it('the metric finder sees through functions, matchers, ranges and groupings (and so would catch a typo)', () => {
    expect(metricsOf('sum by (adapter) (increase(suyuan_x_total{outcome!~"ok|a{b}"}[10m])) > on (adapter) suyuan_y unless time()')).toEqual(['suyuan_x_total', 'suyuan_y']);
  });
});
