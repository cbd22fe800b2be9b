// The mapping engine: compile once and cache, errors with places, determinism, bindings, the in-process guard, the worker pool.
import { afterAll, describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import { loadMapping, MappingEngine, runCases, WorkerMappingPool, type MappingSource } from '../src/mapping/index.ts';

const NOW = new Date('2026-03-01T00:30:00.000Z');
const mapping = (source: string, id = 'm', version = '1.0.0'): MappingSource => ({ id, version, source });

/** The SuyuanError a promise rejects with (fails the test when it resolves or rejects with anything else). */
async function failure(promise: Promise<unknown>): Promise<SuyuanError> {
  const outcome = await promise.then((value) => ({ value }), (error: unknown) => ({ error }));
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(SuyuanError);
  return outcome.error as SuyuanError;
}

function thrown(f: () => unknown): SuyuanError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(SuyuanError);
    return error as SuyuanError;
  }
  throw new Error('expected a throw');
}

/** Counts timer callbacks while `work` runs: a responsive event loop keeps firing them. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ outcome: PromiseSettledResult<T>; ticks: number; ms: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const start = performance.now();
  const [outcome] = await Promise.allSettled([work()]);
  clearInterval(timer);
  return { outcome: outcome as PromiseSettledResult<T>, ticks, ms: performance.now() - start };
}

describe('compile once, cache', () => {
  it('compiles a mapping once per (id, version), however many messages it maps', async () => {
    const engine = new MappingEngine();
    const m = mapping('{ "n": n * 2 }');
    for (let i = 0; i < 200; i++) expect(await engine.evaluate(m, { n: i }, { now: NOW })).toEqual({ n: i * 2 });
    expect(engine.compile(m.id, m.version, m.source)).toBe(engine.compile(m.id, m.version, m.source));
    expect(engine.stats).toMatchObject({ compiles: 1, hits: 201, size: 1 });
  });

  it('keeps each version apart, and recompiles a source edited under the same version', async () => {
    const engine = new MappingEngine();
    expect(await engine.evaluate(mapping('1', 'm', '1.0.0'), {}, { now: NOW })).toBe(1);
    expect(await engine.evaluate(mapping('2', 'm', '1.1.0'), {}, { now: NOW })).toBe(2);
    expect(await engine.evaluate(mapping('3', 'm', '1.1.0'), {}, { now: NOW })).toBe(3);
    expect(engine.stats).toMatchObject({ compiles: 3, size: 2 });
  });

  it('is bounded: past its size the least recently used mapping is dropped and compiled again when needed', () => {
    const engine = new MappingEngine({ cacheSize: 2 });
    engine.compile('a', '1.0.0', '1');
    engine.compile('b', '1.0.0', '2');
    engine.compile('a', '1.0.0', '1'); // a is now the most recently used
    engine.compile('c', '1.0.0', '3'); // drops b
    expect(engine.stats).toMatchObject({ compiles: 3, hits: 1, evictions: 1, size: 2 });
    engine.compile('a', '1.0.0', '1');
    engine.compile('b', '1.0.0', '2');
    expect(engine.stats).toMatchObject({ compiles: 4, hits: 2, evictions: 2 });
  });

  it('answers a syntax error with MAPPING_COMPILE naming the position, token, line and column, and remembers it', () => {
    const engine = new MappingEngine();
    const source = '{\n  "a": 1,\n  "b": ]\n}';
    const error = thrown(() => engine.compile('broken', '1.0.0', source));
    expect(error.code).toBe('MAPPING_COMPILE');
    expect(error.kind).toBe('user');
    expect(error.detail).toMatchObject({ mapping: 'broken@1.0.0', token: ']', line: 3, column: 8, jsonataCode: 'S0211' });
    expect(source.charAt((error.detail.position as number) - 1)).toBe(']');
    expect(thrown(() => engine.compile('broken', '1.0.0', source)).code).toBe('MAPPING_COMPILE');
    expect(engine.stats.compiles).toBe(1);
  });

  it('answers an unterminated expression with the end of the source as its place', () => {
    const error = thrown(() => new MappingEngine().compile('m', '1.0.0', '$sum(\n  [1, 2'));
    expect(error.detail).toMatchObject({ token: '(end)', line: 2, jsonataCode: 'S0203' });
  });
});

describe('evaluation errors', () => {
  const engine = new MappingEngine();

  it('answers a JSONata runtime error with MAPPING_FAILED, its code and position', async () => {
    const error = await failure(engine.evaluate(mapping('(\n  $x := "a";\n  $x + 1\n)'), {}, { now: NOW }));
    expect(error.code).toBe('MAPPING_FAILED');
    expect(error.detail).toMatchObject({ jsonataCode: 'T2001', token: '+', line: 3 });
    expect(typeof error.detail.position).toBe('number');
  });

  it('answers $error with MAPPING_FAILED and D3137, keeping the message', async () => {
    const error = await failure(engine.evaluate(mapping('$error("缺少字段 / missing field")'), {}, { now: NOW }));
    expect(error.detail.jsonataCode).toBe('D3137');
    expect(error.message).toContain('缺少字段 / missing field');
  });

  it('answers a failing domain function with MAPPING_FAILED and the problem code', async () => {
    const error = await failure(engine.evaluate(mapping('$uscc(code)'), { code: '91350100M000100Y44' }, { now: NOW }));
    expect(error.code).toBe('MAPPING_FAILED');
    expect(error.detail).toMatchObject({ problem: 'USCC_CHECK', token: 'uscc', line: 1 });
  });
});

describe('determinism', () => {
  const engine = new MappingEngine();

  it('binds $now() and $millis() to context.now, never to the clock', async () => {
    const m = mapping('{ "now": $now(), "millis": $millis(), "local": $now("[Y0001]-[M01]-[D01] [H01]:[m01]", "+0800") }');
    const result = await engine.evaluate(m, {}, { now: NOW });
    expect(result).toEqual({ now: '2026-03-01T00:30:00.000Z', millis: NOW.getTime(), local: '2026-03-01 08:30' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await engine.evaluate(m, {}, { now: NOW })).toEqual(result);
  });

  it("gives jsonata's own date functions the context's day for a picture without a date", async () => {
    expect(await engine.evaluate(mapping('$fromMillis($toMillis("10:30", "[H01]:[m01]"))'), {}, { now: NOW })).toBe('2026-03-01T10:30:00.000Z');
  });

  it('keeps the clocks of concurrent evaluations of one mapping apart', async () => {
    const m = mapping('$map([1..200], function($i) { $now() })[-1]');
    const times = ['2020-01-01T00:00:00.000Z', '2021-06-30T12:00:00.000Z', '2030-12-31T23:59:59.999Z'];
    const results = await Promise.all(times.map((t) => engine.evaluate(m, {}, { now: new Date(t) })));
    expect(results).toEqual(times);
  });

  it('binds adapter constants, and refuses one that would hide a built-in function', async () => {
    const bindings = { site: 'plant-2', prefixes: ['690', '691'] };
    expect(await engine.evaluate(mapping('{ "site": $site, "n": $count($prefixes) }'), {}, { now: NOW, bindings })).toEqual({ site: 'plant-2', n: 2 });
    const error = await failure(engine.evaluate(mapping('$now()'), {}, { now: NOW, bindings: { now: 'x' } }));
    expect(error.detail.binding).toBe('now');
  });

  it('answers plain JSON data: sequences become arrays, functions are dropped', async () => {
    const result = (await engine.evaluate(mapping('{ "list": items.(v * 2), "f": function($x) { $x }, "one": [items[0].v] }'), { items: [{ v: 1 }, { v: 2 }] }, { now: NOW })) as Record<string, unknown>;
    expect(result).toEqual({ list: [2, 4], one: [1] });
    expect(Object.keys(result.list as object)).toEqual(['0', '1']);
    expect(await engine.evaluate(mapping('nothing.here'), {}, { now: NOW })).toBeUndefined();
  });
});

describe('the in-process guard', () => {
  const engine = new MappingEngine({ limits: { timeoutMs: 300 } });

  it('stops a mapping that loops forever with MAPPING_TIMEOUT, and yields to the event loop meanwhile', async () => {
    const loop = mapping('(function($f){ $f($f) })(function($f){ $f($f) })', 'loop');
    const patient = new MappingEngine({ limits: { timeoutMs: 1000 } });
    const { outcome, ticks, ms } = await ticksDuring(() => patient.evaluate(loop, {}, { now: NOW }));
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as SuyuanError;
    expect(error.code).toBe('MAPPING_TIMEOUT');
    expect(error.detail).toMatchObject({ mapping: 'loop@1.0.0', limit: 'timeoutMs', timeoutMs: 1000 });
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(5000);
    // Without yielding, the 10 ms timer could not fire once before the evaluation ended.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('stops a huge $map with MAPPING_TIMEOUT', async () => {
    const error = await failure(engine.evaluate(mapping('$count($map([1..10000000], function($i) { $i * 2 }))'), {}, { now: NOW }));
    expect(error.code).toBe('MAPPING_TIMEOUT');
  });

  it('stops deep recursion at maxDepth with MAPPING_FAILED', async () => {
    const deep = mapping('($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))');
    const error = await failure(engine.evaluate(deep, {}, { now: NOW }));
    expect(error.code).toBe('MAPPING_FAILED');
    expect(error.detail).toMatchObject({ limit: 'maxDepth', maxDepth: 500 });
  });

  it('guards what $eval runs too, with the same clock and the same errors', async () => {
    expect(await engine.evaluate(mapping('$eval("$now()")'), {}, { now: NOW })).toBe('2026-03-01T00:30:00.000Z');
    const loop = await failure(engine.evaluate(mapping('$eval("(function($f){ $f($f) })(function($f){ $f($f) })")'), {}, { now: NOW }));
    expect(loop.code).toBe('MAPPING_TIMEOUT');
    expect((await failure(engine.evaluate(mapping('$eval("$uscc(\'x\')")'), {}, { now: NOW }))).detail.problem).toBe('USCC_LENGTH');
  });

  it('lets modest recursion and the next mapping run normally', async () => {
    const sum = mapping('($f := function($n) { $n = 0 ? 0 : $n + $f($n - 1) }; $f(40))');
    expect(await engine.evaluate(sum, {}, { now: NOW })).toBe(820);
  });
});

describe('the worker pool', () => {
  const pool = new WorkerMappingPool({ size: 2, deadlineMs: 1500, limits: { timeoutMs: 500 } });
  afterAll(() => pool.close());

  it('runs a mapping in a worker with the context it was given', async () => {
    const m = mapping('{ "now": $now(), "site": $site, "code": $uscc(code) }');
    const result = await pool.evaluate(m, { code: ' 91350100m000100y43' }, { now: NOW, bindings: { site: 'plant-2' } });
    expect(result).toEqual({ now: '2026-03-01T00:30:00.000Z', site: 'plant-2', code: '91350100M000100Y43' });
  });

  it('answers compile and evaluation errors as the engine does', async () => {
    expect((await failure(pool.evaluate(mapping('{ "a": ]'), {}, { now: NOW }))).detail).toMatchObject({ token: ']', line: 1 });
    const error = await failure(pool.evaluate(mapping('$gtin(g)'), { g: '6901234567893' }, { now: NOW }));
    expect(error.code).toBe('MAPPING_FAILED');
    expect(error.detail.problem).toBe('GS1_CHECK_DIGIT');
  });

  it('passes every case of the example mapping, as the in-process engine does', async () => {
    const example = loadMapping('example-slaughter');
    const results = await runCases(pool, example);
    expect(results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.differences.join('; ')}`)).toEqual([]);
  });

  it('stops a CPU-bound mapping the in-process guard cannot interrupt at its deadline, the event loop staying responsive', async () => {
    // One native regular-expression call that backtracks for minutes: no JSONata step to check the time between.
    const backtracking = mapping('$contains($pad("", 34, "a") & "!", /^(a+)+$/)', 'regex');
    const before = pool.stats;
    const { outcome, ticks, ms } = await ticksDuring(() => pool.evaluate(backtracking, {}, { now: NOW }));
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as SuyuanError;
    expect(error.code).toBe('MAPPING_TIMEOUT');
    expect(error.detail).toMatchObject({ mapping: 'regex@1.0.0', limit: 'deadlineMs', deadlineMs: 1500 });
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(5000);
    expect(ticks).toBeGreaterThanOrEqual(50);
    expect(pool.stats.timeouts).toBe(before.timeouts + 1);
    expect(pool.stats.restarts).toBe(before.restarts + 1);
  });

  it('answers the next mappings normally afterwards, on both workers', async () => {
    const m = mapping('{ "n": n, "now": $now() }', 'next');
    const results = await Promise.all([1, 2, 3, 4].map((n) => pool.evaluate(m, { n }, { now: NOW })));
    expect(results).toEqual([1, 2, 3, 4].map((n) => ({ n, now: '2026-03-01T00:30:00.000Z' })));
    expect(pool.stats).toMatchObject({ busy: 0, queued: 0 });
  });

  it("stops a mapping that loops forever with the worker's own guard first", async () => {
    const error = await failure(pool.evaluate(mapping('(function($f){ $f($f) })(function($f){ $f($f) })', 'loop'), {}, { now: NOW }));
    expect(error.code).toBe('MAPPING_TIMEOUT');
    expect(error.detail.limit).toBe('timeoutMs');
  });

  it('refuses a configuration it cannot honour', () => {
    expect(() => new WorkerMappingPool({ size: 0 })).toThrow(RangeError);
    expect(() => new WorkerMappingPool({ maxOldGenerationSizeMb: 64 })).toThrow(RangeError);
  });

  it('refuses work once closed', async () => {
    const closing = new WorkerMappingPool({ size: 1 });
    const pending = failure(closing.evaluate(mapping('$sum([1..1000])'), {}, { now: NOW }));
    await closing.close();
    expect((await pending).code).toBe('INTERNAL');
    expect((await failure(closing.evaluate(mapping('1'), {}, { now: NOW }))).code).toBe('INTERNAL');
  });
});
