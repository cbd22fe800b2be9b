// The parts of delivery that decide alone: the circuit breaker, the rate limit, and which events a subscription takes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CircuitBreakers, facetsOf, matches, RateLimits } from '../src/delivery/index.ts';
import { SuyuanError } from '../src/errors.ts';
import { REPO_ROOT } from '../src/standards/index.ts';

const refused = (f: () => void): string | undefined => {
  try { f(); return undefined; } catch (error) { return error instanceof SuyuanError ? error.code : 'other'; }
};

describe('circuit breaker', () => {
  it('opens after the threshold of failures in a row, refuses while open, lets one probe through when half-open', () => {
    let now = 0;
    const b = new CircuitBreakers({ threshold: 3, cooldownMs: 1_000, now: () => now });
    b.failure('customs', 'IO_FAILED');
    b.failure('customs', 'IO_FAILED');
    expect(b.state('customs')).toBe('closed');
    expect(refused(() => b.admit('customs'))).toBeUndefined();
    b.failure('customs', 'IO_FAILED');
    expect(b.state('customs')).toBe('open');
    expect(refused(() => b.admit('customs'))).toBe('CIRCUIT_OPEN');
    // Another destination is not affected.
    expect(refused(() => b.admit('tax'))).toBeUndefined();
    now = 999;
    expect(refused(() => b.admit('customs'))).toBe('CIRCUIT_OPEN');
    now = 1_000;
    expect(b.state('customs')).toBe('half-open');
    expect(refused(() => b.admit('customs'))).toBeUndefined();
    expect(refused(() => b.admit('customs'))).toBe('CIRCUIT_OPEN');
    // The probe fails: open again for a whole cooldown.
    b.failure('customs', 'IO_FAILED');
    now = 1_500;
    expect(b.state('customs')).toBe('open');
    now = 2_000;
    expect(refused(() => b.admit('customs'))).toBeUndefined();
    // The probe succeeds: closed, every call goes again.
    b.success('customs');
    expect(b.state('customs')).toBe('closed');
    expect(refused(() => b.admit('customs'))).toBeUndefined();
    expect(refused(() => b.admit('customs'))).toBeUndefined();
  });

  it('a success in between resets the count: only failures in a row open it', () => {
    const b = new CircuitBreakers({ threshold: 2, cooldownMs: 1_000, now: () => 0 });
    b.failure('d', 'IO_FAILED');
    b.success('d');
    b.failure('d', 'IO_FAILED');
    expect(b.state('d')).toBe('closed');
    b.failure('d', 'IO_FAILED');
    expect(b.state('d')).toBe('open');
  });

  it('pass waits while the circuit is open and goes once it is half-open', async () => {
    const b = new CircuitBreakers({ threshold: 1, cooldownMs: 60 });
    b.failure('d', 'IO_FAILED');
    const order: string[] = [];
    const passing = b.pass('d').then(() => order.push('passed'));
    order.push('waiting');
    await passing;
    expect(order).toEqual(['waiting', 'passed']);
    expect(b.state('d')).toBe('half-open');
  });

  it('pass gives up with CIRCUIT_OPEN when the job is given back', async () => {
    const b = new CircuitBreakers({ threshold: 1, cooldownMs: 60_000 });
    b.failure('d', 'IO_FAILED');
    const abort = new AbortController();
    const passing = b.pass('d', abort.signal).then(() => 'passed', (e: SuyuanError) => e.code);
    abort.abort();
    expect(await passing).toBe('CIRCUIT_OPEN');
  });
});

describe('rate limit', () => {
  it('spaces calls to one destination at the rate, after a burst, and keeps destinations apart', async () => {
    let now = 0;
    const waits: number[] = [];
    const limits = new RateLimits({ perSecond: 10, burst: 2, now: () => now, sleep: async (ms) => { waits.push(ms); } });
    for (let i = 0; i < 5; i += 1) await limits.take('customs');
    expect(waits).toEqual([100, 200, 300]);
    await limits.take('tax');
    expect(waits).toHaveLength(3);
    // After a quiet spell the burst is available again.
    now = 10_000;
    waits.length = 0;
    await limits.take('customs');
    await limits.take('customs');
    expect(waits).toEqual([]);
  });
});

describe('subscription filters', () => {
  const example = (file: string): unknown => JSON.parse(readFileSync(join(REPO_ROOT, 'standards/trace.event', file), 'utf8'));
  const v1 = example('1.0.0/examples/valid/object-commissioning-drug.json');
  const v2 = example('2.0.0/examples/valid/object-commissioning-drug.json');

  it('reads the same facets from both majors of the standard', () => {
    const expected = { category: 'drugs', region: '321200', bizStep: 'commissioning', eventType: 'ObjectEvent', parties: ['91321200MA20B3KD2G', '91321200MA20B3KD2G'] };
    expect(facetsOf(v1)).toEqual(expected);
    expect(facetsOf(v2)).toEqual(expected);
  });

  it('matches every list given (any item of each), regions by GB/T 2260 prefix, bizSteps in any CBV form', () => {
    const f = facetsOf(v2);
    expect(matches({}, f)).toBe(true);
    expect(matches({ regions: ['320000'] }, f)).toBe(true);
    expect(matches({ regions: ['321200'] }, f)).toBe(true);
    expect(matches({ regions: ['320100', '321000'] }, f)).toBe(false);
    expect(matches({ bizSteps: ['urn:epcglobal:cbv:bizstep:commissioning'] }, f)).toBe(true);
    expect(matches({ bizSteps: ['https://ref.gs1.org/cbv/BizStep-shipping'] }, f)).toBe(false);
    expect(matches({ categories: ['drugs'], eventTypes: ['ObjectEvent'], parties: ['91321200MA20B3KD2G'] }, f)).toBe(true);
    expect(matches({ categories: ['drugs'], eventTypes: ['AggregationEvent'] }, f)).toBe(false);
    expect(matches({ parties: ['91110000600037341L'] }, f)).toBe(false);
    expect(matches({ categories: [] }, f)).toBe(true);
  });
});
