// The mapping compiler on our own mappings: each compiles natively, gives the interpreter's answer on generated inputs,
// and its generated code cannot reach what a mapping must not reach. Also the engine's choice and the CLI report.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import jsonata from 'jsonata';
import { afterAll, describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import { allBridges } from '../src/mapping/bridges.ts';
import { compileExpression, type NativeMapping } from '../src/mapping/compiler/index.ts';
import { compileReport } from '../src/mapping/compiler/report.ts';
import { DEFAULT_LIMITS, MappingEngine, loadMappings, toPlain, type MappingCase } from '../src/mapping/index.ts';
import { runCli } from './helpers/cli.ts';

const mappings = [
  ...loadMappings().map((m) => ({ id: m.id, version: m.version, source: m.source, cases: m.cases as readonly MappingCase[] })),
  ...allBridges().map((b) => ({ id: b.id, version: b.version, source: b.source, cases: b.cases })),
];

function native(source: string): NativeMapping {
  const outcome = compileExpression(jsonata(source));
  if (!outcome.compiled) throw new Error(outcome.reason);
  return outcome.mapping;
}

describe('every mapping in mappings/ compiles natively', () => {
  it('mappings and version bridges alike', () => {
    expect(mappings.length).toBeGreaterThanOrEqual(19);
    expect(compileReport().filter((r) => r.mode !== 'native')).toEqual([]);
    const engine = new MappingEngine();
    for (const m of mappings) expect({ id: m.id, mode: engine.compile(m.id, m.version, m.source).mode }).toEqual({ id: m.id, mode: 'native' });
  });

  it('suyuan mapping compile --report lists each one as compiled', async () => {
    const result = await runCli(['mapping', 'compile', '--report']);
    expect(result.code).toBe(0);
    for (const m of mappings) expect(result.stdout).toMatch(new RegExp(`^${m.id.replace(/[.:]/g, '\\$&')}@${m.version}\\s+compiled$`, 'm'));
    expect(result.stdout).toContain(`${mappings.length} of ${mappings.length} mapping(s) compiled`);
  });

  it('the report names a mapping the compiler refuses, and why', async () => {
    const root = mkdtempSync(join(tmpdir(), 'suyuan-compile-'));
    try {
      for (const [id, source] of [['plain', '{ "a": x }'], ['dynamic', '$eval("1 + 1")']]) {
        mkdirSync(join(root, 'mappings', id as string), { recursive: true });
        writeFileSync(join(root, 'mappings', id as string, 'mapping.json'), JSON.stringify({ id, version: '1.0.0', summary: 'test / test', produces: 'trace.event@^1' }));
        writeFileSync(join(root, 'mappings', id as string, 'mapping.jsonata'), source as string);
      }
      const result = await runCli(['mapping', 'compile', '--report'], { SUYUAN_ROOT: root });
      expect(result.stdout).toMatch(/^plain@1\.0\.0\s+compiled$/m);
      expect(result.stdout).toMatch(/^dynamic@1\.0\.0\s+interpreted\s+not compiled: \$eval$/m);
      const json = await runCli(['mapping', 'compile', '--json'], { SUYUAN_ROOT: root });
      expect(JSON.parse(json.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'dynamic', mode: 'interpreter' })]));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** The outcome of one run: the plain result, or the error code (jsonata's, or the domain problem). */
type Outcome = { readonly value: unknown } | { readonly error: string };

const interpreter = new MappingEngine({ compiler: false });

const engine = new MappingEngine();

async function interpreted(m: (typeof mappings)[number], input: unknown, c: MappingCase, by: MappingEngine = interpreter): Promise<Outcome> {
  try {
    return { value: await by.evaluate(m, input, { now: new Date(c.now), ...(c.bindings ? { bindings: c.bindings } : {}) }) };
  } catch (error) {
    const e = error as SuyuanError;
    return { error: String(e.detail.jsonataCode ?? e.detail.problem ?? e.code) };
  }
}

function compiled(code: NativeMapping, input: unknown, c: MappingCase): Outcome {
  try {
    return { value: toPlain(code.run(input, c.bindings ?? {}, new Date(c.now), DEFAULT_LIMITS)) };
  } catch (error) {
    return { error: String((error as { code?: unknown }).code) };
  }
}

const DELETE = Symbol('delete');

/** Every place in a value where an edit can go: leaves, and members of objects and arrays. */
function places(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [path, ...keys.flatMap((k) => places((value as Record<string | number, unknown>)[k], [...path, k]))];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

function edited(base: unknown, edits: ReadonlyArray<{ at: number; value: unknown }>): unknown {
  const copy = structuredClone(base);
  for (const { at, value } of edits) {
    const all = places(copy).filter((p) => p.length > 0);
    if (all.length === 0) return copy;
    const path = all[at % all.length] as (string | number)[];
    let parent = copy as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const key = path[path.length - 1] as string | number;
    if (value === DELETE) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else {
      parent[key] = value;
    }
  }
  return copy;
}

describe('compiled mappings give the interpreter\'s answer (property-based)', () => {
  const tried = new Map<string, { results: number; errors: number }>();
  afterAll(() => {
    console.log(`\nGenerated inputs per mapping (results / errors, compiled = interpreted):\n${[...tried].map(([id, t]) => `  ${id}: ${t.results} / ${t.errors}`).join('\n')}`);
  });

  for (const m of mappings) {
    it(`${m.id}: on its cases' inputs with fields removed, emptied, padded, swapped or of another type`, async () => {
      expect(m.cases.length).toBeGreaterThan(0);
      const code = native(m.source);
      const pool = [...new Set(m.cases.flatMap((c) => strings(c.input)))];
      const text = pool.length > 0 ? fc.constantFrom(...pool) : fc.string();
      const replacement = fc.oneof(
        fc.constant(DELETE), fc.constant(null), fc.constant(''), fc.constant('  '), text,
        text.map((s) => ` ${s} `), text.map((s) => s.toLowerCase()), text.map((s) => s.slice(0, -1)), fc.string({ maxLength: 8 }),
        fc.integer({ min: -3, max: 100_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(),
        fc.array(text, { maxLength: 3 }), fc.dictionary(fc.constantFrom('#text', '@_单位', 'a'), text, { maxKeys: 2 }),
      );
      const tally = { results: 0, errors: 0 };
      tried.set(m.id, tally);
      await fc.assert(fc.asyncProperty(
        fc.nat(m.cases.length - 1), fc.array(fc.record({ at: fc.nat(), value: replacement }), { maxLength: 4 }),
        async (which, edits) => {
          const c = m.cases[which] as MappingCase;
          const input = edited(c.input, edits);
          const expected = await interpreted(m, input, c);
          const actual = compiled(code, input, c);
          // jsonata evaluates the members of a constructor concurrently: with two faults in one input, which error
          // comes first is its scheduler's choice (and can change when the guard pauses on a loaded machine). The
          // compiled code fails too, and the engine then asks the interpreter for the error.
          const viaEngine = await interpreted({ ...m, version: `${m.version}-native` }, input, c, engine);
          if ('value' in expected) {
            expect(actual).toEqual(expected);
            expect(viaEngine).toEqual(expected);
          } else {
            expect(actual).toHaveProperty('error');
            expect(viaEngine).toHaveProperty('error');
          }
          if ('value' in expected) tally.results++;
          else tally.errors++;
        },
      ), { numRuns: 150 });
    });
  }
});

describe('what the compiler writes out gives jsonata\'s answers (property-based)', () => {
  /** JSON-like data with the names the expressions read, inherited names among them, and arrays of every depth. */
  const data = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom('x', '', 'b', 0, 1.5, -2, true, false, null), tie('object'), fc.array(tie('value'), { maxLength: 3 })),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'constructor', 'toString', 'length'), tie('value'), { maxKeys: 4 }),
  }));
  const input = fc.record({ a: data.value, b: data.value, c: data.value }, { requiredKeys: [] });
  const outcome = async (f: () => unknown): Promise<unknown> => {
    try {
      return { value: toPlain(await f()) };
    } catch (error) {
      return { code: (error as { code?: string }).code };
    }
  };
  const check = async (exprs: readonly string[], runs: number): Promise<void> => {
    const pairs = exprs.map((e) => [native(e), jsonata(e), e] as const);
    await fc.assert(fc.asyncProperty(input, fc.nat({ max: exprs.length - 1 }), async (i, n) => {
      const [code, interpreted, expr] = pairs[n] as (typeof pairs)[number];
      expect({ expr, ...(await outcome(() => code.run(i, {}, new Date(), DEFAULT_LIMITS))) as object })
        .toEqual({ expr, ...(await outcome(() => interpreted.evaluate(i))) as object });
    }), { numRuns: runs });
  };

  it('field reads and paths from a variable: arrays, sequences, nothing, inherited names, other values', async () => {
    await check([
      'a', 'a.b', 'a.b.c', 'a.constructor', 'a.length', 'a.toString.b', '($v := a; $v.b)', '($v := a; $v.b.c)', '($v := $; $v.a.b.c)',
      '($v := a; $v.constructor)', '($v := a; $v.b[])', '[($v := a; $v.b)]', '($v := a; $v.(b))', '($v := a; $v.b.($string($)))',
      '($v := a; $v.b.{ "x": c })', '($v := a; $v.b[0].c)', '($v := a; $v.*)', '($v := [a, b]; $v.c)', '($v := $append(a, b); $v.b.c)',
      '($v := a; $v.b{ $string(c): 1 })', 'a.b.($string($))', 'a.b.c.{ "x": $ }', '[a.b.(c)]', 'a.b.(c)[]', '($v := a; $v.b.c.(b))', '$.a.b.$string()',
      'a.b^(c)', '($v := a; $v.b.c^($).b)', 'a.b.c{ "n": $count($) }', 'a.b.*', 'a.constructor.(b)', '$lookup(a, "b")', '$lookup(a, c)', '$lookup(a, "constructor")', '$count(a.b)', 'a.b = c',
    ], 3000);
  });

  it('calls of lambdas bound once: written out in place, with their frames, arguments and context', async () => {
    await check([
      '($f := function($x) { $x.b }; $f(a))',
      '($f := function($x, $y) { [$x, $y] }; $f(a, c, b))',
      '($f := function($x, $y) { $y }; $f(a))',
      '($f := function($x) { ($y := $x.b; $y) }; [$f(a), $f(c)])',
      '($k := 1; $f := function($x) { $count($x) + $k }; $k := 2; $f(a))',
      '($f := function() { b }; a.$f())',
      'a.($f := function() { b }; $f())',
      '[a.($g := function($x) { [$x, c] }; $g(b))]',
      '($f := function($x) { $x }; ($f := function($x) { $x.b }; $f(a)))',
      '($f := function($x) { $x.b }; $g := function($x) { $f($x) & "!" }; $g(a))',
      '($f := function($x) { $exists($x) ? $f($x.b) : 0 }; $f(a))',
      '($f := function($x) { 1 }; $f($error("stop")))',
      '($f := function($x) { $x ~> $string() }; [$f(a), a.$f(b)])',
      '($f := function($x) { $x.b }; $g := $f; $g(a) & $f(c))',
      '($f := function($x) { $x.b }; $f := function($x) { $x.c }; $f(a))',
      '($f := function($x) { $x[0] }; $map(a, function($v) { $f($v) }))',
      '($f := function($x) { function($y) { [$x, $y] } }; $f(a)(b))',
    ], 3000);
  });
});

describe('a compiled mapping between evaluations', () => {
  it('starts each evaluation afresh: its clock, bindings and variables are its own, after a failed one too', () => {
    const code = native('($seen := $exists($x) ? "again" : "first"; $x := 1; a = "boom" ? $error("boom"); [$now(), $site, $seen, a, $x])');
    const first = new Date('2026-01-02T03:04:05.000Z');
    const second = new Date('2027-06-07T08:09:10.000Z');
    expect(code.run({ a: 1 }, { site: 'p1' }, first, DEFAULT_LIMITS)).toEqual(['2026-01-02T03:04:05.000Z', 'p1', 'first', 1, 1]);
    expect(() => code.run({ a: 'boom' }, { site: 'p1' }, first, DEFAULT_LIMITS)).toThrow(expect.objectContaining({ code: 'D3137' }));
    expect(code.run({ a: 2 }, { site: 'p2' }, second, DEFAULT_LIMITS)).toEqual(['2027-06-07T08:09:10.000Z', 'p2', 'first', 2, 1]);
  });

  it('refuses to be entered again while it runs; the next evaluation is unharmed', () => {
    const code = native('[$f(), a]');
    const again = (): unknown => code.run({ a: 'inner' }, { f: () => 'x' }, new Date(), DEFAULT_LIMITS);
    expect(() => code.run({ a: 'outer' }, { f: again }, new Date(), DEFAULT_LIMITS)).toThrow(/entered again/);
    expect(code.run({ a: 3 }, { f: () => 'ok' }, new Date(), DEFAULT_LIMITS)).toEqual(['ok', 3]);
  });
});

describe('generated code', () => {
  it('refers only to its parameters and its own locals', () => {
    for (const m of mappings) {
      const { source } = native(m.source);
      // Strip string literals, then every identifier must be a keyword, a parameter, a local, or a member after a dot.
      const code = source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
      const names = new Set(code.match(/(?<![.\w$])[A-Za-z_$][\w$]*/g));
      const allowed = /^(rt|k|ctx|r0|i0|[acptvxs]\d+|return|function|compiledMapping|const|let|new|typeof|void|true|false|null|use|strict|if|try|finally|in|for|continue|else)$/;
      expect({ id: m.id, stray: [...names].filter((n) => !allowed.test(n)) }).toEqual({ id: m.id, stray: [] });
    }
  });

  it('reads no prototype and writes none: __proto__, constructor and prototype are data keys or nothing', () => {
    const run = (expr: string, input: unknown = {}): unknown => toPlain(native(expr).run(input, {}, new Date(), DEFAULT_LIMITS));
    expect(run('constructor')).toBeUndefined();
    expect(run('__proto__')).toBeUndefined();
    expect(run('$lookup($, "constructor")')).toBeUndefined();
    expect(run('a.constructor.prototype', { a: 'x' })).toBeUndefined();
    expect(run('$keys({"__proto__": 1, "b": 2})')).toEqual(['__proto__', 'b']);
    expect(run('$merge([{"__proto__": {"polluted": true}}])')).toBeDefined();
    expect(run('{ k: v }', [{ k: '__proto__', v: { polluted: true } }])).toEqual({ ['__proto__']: { polluted: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(run('$string(a)', JSON.parse('{"a": {"__proto__": {"x": 1}}}'))).toBe('{"__proto__":{"x":1}}');
  });
});

describe('the engine with the compiler', () => {
  const m = (source: string) => ({ id: 'test', version: '1.0.0', source });

  it('answers errors exactly as the interpreter does: code, message and place', async () => {
    for (const source of ['(\n  $x := 1;\n  $x + "a"\n)', '$uscc("x")', '$error("stop")', 'a.b.$substring(1)']) {
      const [one, two] = await Promise.all([engine, interpreter].map((e) => e.evaluate(m(source), { a: { b: 5 } }, { now: new Date() }).then(() => undefined, (error: unknown) => error as SuyuanError)));
      expect(one).toBeInstanceOf(SuyuanError);
      expect({ code: one?.code, message: one?.message, detail: one?.detail }).toEqual({ code: two?.code, message: two?.message, detail: two?.detail });
    }
  });

  it('runs a mapping on the interpreter when a binding shadows a built-in it calls', async () => {
    const source = m('$trim(" x ")');
    expect(engine.compile('test', '1.0.0', source.source).mode).toBe('native');
    expect(await engine.evaluate(source, {}, { now: new Date() })).toBe('x');
    const shadowed = await engine.evaluate(source, {}, { now: new Date(), bindings: { trim: 'not a function' } }).catch((error: unknown) => error as SuyuanError);
    expect(shadowed).toMatchObject({ code: 'MAPPING_FAILED', detail: { jsonataCode: 'T1006' } });
  });

  it('reads the clock and the bindings of the context', async () => {
    const now = new Date('2026-03-01T00:30:00.000Z');
    expect(await engine.evaluate(m('[$now(), $millis(), $site, $toMillis("10:30", "[H01]:[m01]")]'), {}, { now, bindings: { site: 'plant-2' } }))
      .toEqual(['2026-03-01T00:30:00.000Z', now.getTime(), 'plant-2', Date.parse('2026-03-01T10:30:00.000Z')]);
  });
});

describe('built-ins the compiler computes itself', () => {
  it('$fromMillis with a simple picture and zone gives exactly jsonata\'s string', async () => {
    const { BUILTINS } = await import('../src/mapping/compiler/builtins.ts');
    const jsonataFromMillis = (await jsonata('$fromMillis').evaluate(undefined)) as { implementation: (...args: unknown[]) => unknown };
    const ours = BUILTINS.fromMillis as { implementation: (...args: unknown[]) => unknown };
    fc.assert(fc.property(
      fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }),
      fc.constantFrom('[Y0001]-[M01]-[D01]', '[Y0001][M01][D01][H01][m01][s01]', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01]', 'at [H01]h', '', '[D01]/[M01]/[Y0001]', '[Y]', '[M01]-[D1]'),
      fc.constantFrom(undefined, '+0800', '-0530', '+0000', '0800', '-1200', '+1400', '+0845', '+08:00', 'Z'),
      (millis, picture, zone) => {
        expect(ours.implementation.call({}, millis, picture, zone)).toBe(jsonataFromMillis.implementation(millis, picture, zone));
      },
    ), { numRuns: 3000 });
  });

  it('$toMillis with a date picture gives exactly jsonata\'s number (or nothing)', async () => {
    const expr = '$toMillis(t, p)';
    const code = native(expr);
    const interpreted = jsonata(expr);
    const digits = fc.stringMatching(/^[0-9]{0,5}$/);
    const sep = fc.constantFrom('-', '/', ' ', ':', '.', '', 'T', '--', 'x');
    const timestamp = fc.oneof(
      fc.tuple(digits, sep, digits, sep, digits, fc.constantFrom('', ' ', 'T'), digits, sep, digits, sep, digits).map((parts) => parts.join('')),
      fc.tuple(digits, sep, digits, sep, digits).map((parts) => parts.join('')),
      fc.string({ maxLength: 12 }),
    );
    const picture = fc.constantFrom('[Y0001]-[M01]-[D01]', '[Y0001]/[M01]/[D01]', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01]', '[Y0001].[M01].[D01] [H01]:[m01]:[s01]',
      '[Y0001][M01][D01]', '[D01]/[M01]/[Y0001]', '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]');
    await fc.assert(fc.asyncProperty(timestamp, picture, async (t, p) => {
      expect(code.run({ t, p }, {}, new Date(), DEFAULT_LIMITS)).toEqual(await interpreted.evaluate({ t, p }));
    }), { numRuns: 3000 });
  });

  it('an element found by local name among its keys is the one jsonata finds, whatever the node and the name', async () => {
    const exprs = ['$keys(o)[$substringAfter($, \':\') = n]', '($f := function($node, $name) { $keys($node)[$substringAfter($, \':\') = $name] }; $f(o, n))',
      '$keys(o)[$substringAfter($, \':\') = \'a\'][0]', 'o.$keys($)[$substringAfter($, \'::\') = $$.n]', '$lookup(o, $keys(o)[$substringAfter($, \':\') = n][0])',
      ...['', 'a', 'x:'].map((sep) => `($name := n; $keys(o)[$substringAfter($, '${sep}') = $name])`)];
    const pairs = exprs.map((e) => [native(e), jsonata(e)] as const);
    const key = fc.constantFrom('a', 'x:a', 'a:b', ':a', 'a::b', 'y::a', 'b', 'x:', 'x:x:a', 'aa', 'ba', '');
    const object = fc.dictionary(key, fc.oneof(fc.integer(), fc.constant('v')), { maxKeys: 5 });
    const node = fc.oneof(object, fc.array(object, { maxLength: 3 }), fc.constantFrom('a', 3, null, true), fc.constant(undefined));
    const name = fc.oneof(fc.constantFrom('a', 'b', '', 'x', 'x:a', 'a:b', 'b:'), fc.integer({ min: 0, max: 2 }), fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }), fc.constant(undefined));
    await fc.assert(fc.asyncProperty(node, name, fc.nat({ max: exprs.length - 1 }), async (o, n, i) => {
      const [code, interpreted] = pairs[i] as (typeof pairs)[number];
      const input = { o, n };
      expect(toPlain(code.run(input, {}, new Date(), DEFAULT_LIMITS))).toEqual(toPlain(await interpreted.evaluate(input)));
    }), { numRuns: 2000 });
  });

  it('$match with a regex literal gives jsonata\'s matches, or its error for an empty match', async () => {
    const exprs = ['$match(s, /a+/)', '$match(s, /(a)|(b)/)', '$match(s, /^a(\\d)?$/)', '$match(s, /b*/)', '$match(s, /x?$/)', '$match(s, /A/i)', '$match(s, /[ab]{2}/).groups'];
    const pairs = exprs.map((e) => [native(e), jsonata(e)] as const);
    const text = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', '1', 'A', 'x', '溯'), maxLength: 8 }), fc.integer());
    const outcome = async (f: () => unknown): Promise<unknown> => {
      try {
        return { value: toPlain(await f()) };
      } catch (error) {
        return { code: (error as { code?: string }).code };
      }
    };
    await fc.assert(fc.asyncProperty(text, fc.nat({ max: exprs.length - 1 }), async (s, i) => {
      const [code, interpreted] = pairs[i] as (typeof pairs)[number];
      expect(await outcome(() => code.run({ s }, {}, new Date(), DEFAULT_LIMITS))).toEqual(await outcome(() => interpreted.evaluate({ s })));
    }), { numRuns: 2000 });
  });

  it('$substring and $trim are jsonata\'s, surrogate pairs and whitespace runs included', async () => {
    const expr = '[$substring(s, a), $substring(s, a, b), $trim(s)]';
    const code = native(expr);
    const interpreted = jsonata(expr);
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', '\n', '\r', '溯', '😀', '\u3000') , maxLength: 12 });
    await fc.assert(fc.asyncProperty(text, fc.integer({ min: -15, max: 15 }), fc.integer({ min: -3, max: 15 }), async (s, a, b) => {
      expect(toPlain(code.run({ s, a, b }, {}, new Date(), DEFAULT_LIMITS))).toEqual(toPlain(await interpreted.evaluate({ s, a, b })));
    }), { numRuns: 1000 });
  });

  it('$string and & of strings, numbers, booleans and null are jsonata\'s', async () => {
    const expr = '[$string(v), "<" & v & ">"]';
    const code = native(expr);
    const interpreted = jsonata(expr);
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null)), async (v) => {
      expect(toPlain(code.run({ v }, {}, new Date(), DEFAULT_LIMITS))).toEqual(toPlain(await interpreted.evaluate({ v })));
    }), { numRuns: 500 });
  });
});
