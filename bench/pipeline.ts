/**
 * Pipeline benchmark: `runMessage` (decode, parse, split, map, validate, identify, store, with a
 * provenance record per step) against the bare library chain on the same bytes — fast-xml-parser,
 * papaparse or `JSON.parse`, then `jsonata(expr).evaluate()` compiled once, a plain ajv on the same
 * `trace.event@1.0.0` schema, `JSON.stringify` — on three generated fixtures (`bench/fixtures/`): a
 * SOAP hospital drug receipt, a GBK slaughterhouse CSV and an EPCIS 2.0 JSON-LD document. Then the
 * time per SOAP message as its list grows, and the heap after GC over many SOAP messages.
 * Rounds interleave the two chains; figures are medians. Last line: one JSON object.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import jsonata from 'jsonata';
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { csvFormat, jsonFormat, soapFormat } from '../src/formats/index.ts';
import { DOMAIN_FUNCTIONS, MappingEngine, loadMapping } from '../src/mapping/index.ts';
import { MemoryEventSink } from '../src/pipeline/events.ts';
import { MemoryProvenance, type StepName, type StepRecord } from '../src/pipeline/provenance.ts';
import { runMessage, type MessageOutcome, type PipelineDeps } from '../src/pipeline/run.ts';
import { identifyStep, type InboundPlan } from '../src/pipeline/steps.ts';
import { IDENTIFIER_FORMATS } from '../src/standards/identifiers/index.ts';
import { loadStandards } from '../src/standards/index.ts';
import { RECEIPT_OPTIONS, epcisDocument, hospitalReceipt, slaughterCsv } from './fixtures/pipeline-fixtures.ts';

const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const ROUNDS = num('BENCH_ROUNDS', 9);
const ROUND_MS = num('BENCH_ROUND_MS', 400);
const CSV_ROWS = num('BENCH_CSV_ROWS', 10_000);
const CSV_ROUNDS = num('BENCH_CSV_ROUNDS', 5);
const EPCIS_EVENTS = num('BENCH_EPCIS_EVENTS', 1_000);
const SIZES = (process.env.BENCH_SOAP_SIZES ?? '1,10,100').split(',').map(Number);
const HEAP_MESSAGES = num('BENCH_HEAP_MESSAGES', 40_000);
const HEAP_EVERY = num('BENCH_HEAP_EVERY', 1_000);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'soap,csv,epcis,sizes,heap').split(','));
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:pipeline)');

// ── The bare chain ──────────────────────────────────────────────────────────────────────────────────
const schema = JSON.parse(readFileSync(new URL('../registry/trace.event/1.0.0.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
for (const name of Object.keys(IDENTIFIER_FORMATS)) ajv.addFormat(name, true);
for (const keyword of ['x-classification', 'x-entitled', 'x-code-list', 'x-rules', 'x-compatibility', 'x-order']) ajv.addKeyword({ keyword });
const bareValidate = ajv.compile(schema);

/** The domain functions in the bare chain: same names and signatures, none of the checks (as the formats in bare ajv). */
const STUBS: Readonly<Record<string, (...args: string[]) => unknown>> = {
  uscc: (code) => code.trim().toUpperCase(),
  gtin: (code) => code.trim().padStart(14, '0'),
  drugCode: (code) => `urn:suyuan:id:drug:${code.trim()}`,
  localTime: (text, offset = '+08:00') => ({ eventTime: `${text.trim().replace(' ', 'T')}.000${offset}`, eventTimeZoneOffset: offset }),
  regionName: () => '(region)',
  lotClass: (code, lot) => `urn:suyuan:class:lot:${code.trim()}.${lot.trim()}`,
};
function bareExpression(source: string): jsonata.Expression {
  const expression = jsonata(source);
  for (const f of DOMAIN_FUNCTIONS) expression.registerFunction(f.name, STUBS[f.name] ?? ((v: unknown) => v), f.signature);
  return expression;
}

/** Where the bare chain's time goes, in ms, when asked; unasked, no timer is read. */
type Phases = Record<'read' | 'map' | 'validate' | 'stringify', number>;
const tick = (phases: Phases | undefined, phase: keyof Phases, since: number): number => {
  if (!phases) return 0;
  const now = performance.now();
  phases[phase] += now - since;
  return now;
};

/** Maps (or not), validates and stringifies records; answers the events' JSON. */
async function bareRecords(records: readonly unknown[], expression: jsonata.Expression | undefined, phases?: Phases): Promise<string[]> {
  const out: string[] = [];
  for (const record of records) {
    let t = phases ? performance.now() : 0;
    const mapped: unknown = expression ? await expression.evaluate(record) : record;
    t = tick(phases, 'map', t);
    const events = Array.isArray(mapped) ? mapped : [mapped];
    for (const event of events) if (!bareValidate(event)) throw new Error(`bare ajv: ${ajv.errorsText(bareValidate.errors)}`);
    t = tick(phases, 'validate', t);
    for (const event of events) out.push(JSON.stringify(event));
    tick(phases, 'stringify', t);
  }
  return out;
}

const receiptMapping = { id: 'hospital-receipt', version: '1.0.0', source: readFileSync(new URL('./fixtures/hospital-receipt.jsonata', import.meta.url), 'utf8') };
const slaughter = loadMapping('example-slaughter');
const ITEM = `soap:Envelope.soap:Body.${RECEIPT_OPTIONS.arrayPaths[0].replaceAll('/', '.')}`;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', textNodeName: '#text', parseTagValue: false, trimValues: true, isArray: (_n, path) => path === ITEM });
const receiptExpression = bareExpression(receiptMapping.source);
const slaughterExpression = bareExpression(slaughter.source);
const utf8 = new TextDecoder();
const gbk = new TextDecoder('gbk');

const bare = {
  soap: (bytes: Uint8Array, phases?: Phases) => {
    const t = phases ? performance.now() : 0;
    const doc = xml.parse(utf8.decode(bytes)) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    tick(phases, 'read', t);
    return bareRecords([doc['soap:Envelope']?.['soap:Body']?.UploadDrugReceipt?.['入库单']], receiptExpression, phases);
  },
  csv: (bytes: Uint8Array, phases?: Phases) => {
    const t = phases ? performance.now() : 0;
    const rows = Papa.parse<Record<string, string>>(gbk.decode(bytes), { header: true, skipEmptyLines: true }).data;
    tick(phases, 'read', t);
    return bareRecords(rows, slaughterExpression, phases);
  },
  epcis: (bytes: Uint8Array, phases?: Phases) => {
    const t = phases ? performance.now() : 0;
    const doc = JSON.parse(utf8.decode(bytes)) as { epcisBody: { eventList: unknown[] } };
    tick(phases, 'read', t);
    return bareRecords(doc.epcisBody.eventList, undefined, phases);
  },
};

/**
 * The EPCIS document's work without the pipeline: the functions our steps call, in a plain loop —
 * `JSON.parse`, the standard's validator (ajv and the standard's own checks), the CBV 2.0 event hash,
 * `JSON.stringify`. Bare does neither the checks nor the hash, which the issue asks of every event;
 * ours against this chain is what the pipeline itself costs (decoding with offsets, limits, split
 * positions, digests and provenance records, the duplicate check in the store).
 */
async function stepsChain(bytes: Uint8Array): Promise<string[]> {
  const doc = JSON.parse(utf8.decode(bytes)) as { epcisBody: { eventList: unknown[] } };
  const out: string[] = [];
  for (const event of doc.epcisBody.eventList) {
    const result = standards.validate('trace.event', '1.0.0', event);
    if (result.problems.length > 0) throw new Error(`steps chain: ${JSON.stringify(result.problems)}`);
    if (identifyStep(event).length === 0) throw new Error('steps chain: no hash');
    out.push(JSON.stringify(event));
  }
  return out;
}

// ── Our pipeline ────────────────────────────────────────────────────────────────────────────────────
const NOW = new Date('2026-11-29T08:00:00+08:00');
/**
 * `MemoryProvenance` appends with `push(...records)`, which overflows the stack somewhere past 10^5
 * step records (a 100,000-row CSV writes 400,004): for such a message the bench keeps them in a loop
 * instead, and says so.
 */
class LoopProvenance extends MemoryProvenance {
  override async write(records: readonly StepRecord[]): Promise<void> {
    for (const r of records) this.records.push(r);
  }
}
/** Whether `MemoryProvenance` takes one message's `count` step records. */
async function memoryProvenanceTakes(count: number): Promise<boolean> {
  const record = { step: 'map' } as StepRecord;
  return new MemoryProvenance().write(Array.from({ length: count }, () => record)).then(() => true, (e: unknown) => !(e instanceof RangeError));
}
const sinks = { provenance: new MemoryProvenance(), events: new MemoryEventSink() };
const defaultEngine = new MappingEngine();
const standards = await loadStandards();
// No blob store (see bench/README.md): the receive step still hashes the bytes.
const deps = (evaluator = defaultEngine): PipelineDeps => ({ standards, evaluator, ...sinks, now: () => NOW });
const standard = { subject: 'trace.event', version: '1.0.0' };
type Kind = keyof typeof bare;
const plans: Record<Kind, InboundPlan> = {
  soap: { feed: 'bench-soap', format: soapFormat as never, formatOptions: RECEIPT_OPTIONS, mapping: receiptMapping, standard },
  csv: { feed: 'bench-csv', encoding: 'GBK', format: csvFormat as never, limits: { maxNodes: 2_000_000 }, mapping: slaughter, standard },
  epcis: { feed: 'bench-epcis', format: jsonFormat as never, formatOptions: { recordPath: '/epcisBody/eventList' }, standard },
};

/**
 * Where our time goes, in ms, from the provenance records' step durations: `read` is decode + parse +
 * split, `map` includes the digest of the mapped events, `receive+store` hashes the bytes and puts the
 * events; `other` is what no step timed (each record's input digest, the step records themselves).
 */
type OursPhases = Record<'read' | 'map' | 'validate' | 'identify' | 'receive+store' | 'other', number>;
const PHASE_OF: Record<StepName, keyof OursPhases> = {
  receive: 'receive+store', decode: 'read', parse: 'read', split: 'read', map: 'map', validate: 'validate', identify: 'identify', store: 'receive+store',
  bridge: 'other', // no version bridge here: events are stored as mapped
};

/**
 * Runs one message through `runMessage`, then empties the sinks: every event MUST come out `stored`
 * (none is a duplicate), and what the in-memory sinks keep does not pile up over the run.
 */
async function ours(kind: Kind, bytes: Uint8Array, options: { phases?: OursPhases[]; evaluator?: MappingEngine } = {}): Promise<MessageOutcome> {
  const start = performance.now();
  const outcome = await runMessage(bytes, plans[kind], deps(options.evaluator));
  if (options.phases) {
    const p: OursPhases = { read: 0, map: 0, validate: 0, identify: 0, 'receive+store': 0, other: performance.now() - start };
    for (const s of sinks.provenance.records) {
      p[PHASE_OF[s.step]] += s.durationMs;
      p.other -= s.durationMs;
    }
    options.phases.push(p);
  }
  sinks.provenance.records.length = 0;
  sinks.events.events.clear();
  for (const r of outcome.records) {
    if (r.status !== 'stored') throw new Error(`${kind}: record ${r.index} ${r.status}: ${r.error?.code ?? ''} ${JSON.stringify(r.error?.detail ?? r.problems)}`);
  }
  return outcome;
}

// ── Measuring ───────────────────────────────────────────────────────────────────────────────────────
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

/** Milliseconds per message over one slice of at least `ROUND_MS` (and at least one message). */
async function slice(run: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const start = performance.now();
  let now = start;
  do {
    await run();
    n += 1;
    now = performance.now();
  } while (now - start < ROUND_MS);
  return (now - start) / n;
}

/** Median ms per message of each chain over `rounds` interleaved rounds (the order reverses each round). */
async function compare<K extends string>(runs: Record<K, () => Promise<unknown>>, rounds: number): Promise<Record<K, number>> {
  const names = Object.keys(runs) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r += 1) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) samples[name].push(await slice(runs[name]));
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<K, number>;
}

/** Both chains MUST give the same events before their speed means anything; answers how many records. */
async function agree(kind: Kind, bytes: Uint8Array, options: { evaluator?: MappingEngine } = {}): Promise<number> {
  const b = await bare[kind](bytes);
  const outcome = await ours(kind, bytes, options);
  const o = outcome.records.flatMap((r) => r.events.map((e) => JSON.stringify(e.event)));
  if (b.length !== o.length || b.some((e, i) => e !== o[i])) throw new Error(`${kind}: the bare chain and the pipeline disagree`);
  return outcome.records.length;
}

/** Median µs per record of each phase. */
function phaseTable<P extends string>(all: readonly Record<P, number>[], records: number): Record<P, number> {
  const keys = Object.keys(all[0] ?? {}) as P[];
  return Object.fromEntries(keys.map((k) => [k, round((median(all.map((p) => p[k])) * 1000) / records, 1)])) as Record<P, number>;
}

/** Per-phase times of `messages` messages of each chain, outside the timed rounds (the timers would weigh on bare ajv's microseconds). */
async function diagnose(kind: Kind, bytes: Uint8Array, records: number, messages: number): Promise<void> {
  const phases = { bare: [] as Phases[], ours: [] as OursPhases[] };
  for (let i = 0; i < messages; i += 1) {
    const p: Phases = { read: 0, map: 0, validate: 0, stringify: 0 };
    await bare[kind](bytes, p);
    phases.bare.push(p);
    await ours(kind, bytes, { phases: phases.ours });
  }
  showPhases(kind, phases, records);
}

function showPhases(kind: Kind, phases: { bare: Phases[]; ours: OursPhases[] }, records: number): void {
  const o = phaseTable(phases.ours, records);
  const b = phaseTable(phases.bare, records);
  console.log(`${kind.padEnd(6)} µs/record  ours ${JSON.stringify(o)}\n${' '.repeat(18)}bare ${JSON.stringify(b)}`);
  Object.assign(results, { [`${kind}_ours_us_per_record`]: o, [`${kind}_bare_us_per_record`]: b });
}

const results: Record<string, unknown> = { bench: 'pipeline', node: process.version, rounds: ROUNDS, round_ms: ROUND_MS };
function report(kind: Kind, bytes: number, records: number, ms: { bare: number; ours: number }): void {
  const [b, o] = [1000 / ms.bare, 1000 / ms.ours];
  console.log(`${kind.padEnd(6)} ${String(bytes).padStart(9)} B ${String(records).padStart(6)} rec   bare ${b.toPrecision(3).padStart(8)} msg/s ${(b * records).toFixed(0).padStart(7)} rec/s`
    + `   ours ${o.toPrecision(3).padStart(8)} msg/s ${(o * records).toFixed(0).padStart(7)} rec/s   ours/bare ${(o / b).toFixed(3)}`);
  Object.assign(results, {
    [`${kind}_bytes`]: bytes, [`${kind}_records`]: records, [`${kind}_bare_ms`]: round(ms.bare, 3), [`${kind}_ours_ms`]: round(ms.ours, 3),
    [`${kind}_bare_msgs_per_s`]: Number(b.toPrecision(4)), [`${kind}_ours_msgs_per_s`]: Number(o.toPrecision(4)),
    [`${kind}_bare_records_per_s`]: round(b * records), [`${kind}_ours_records_per_s`]: round(o * records), [`${kind}_ratio`]: round(o / b, 3),
  });
}

// ── The fixtures ────────────────────────────────────────────────────────────────────────────────────
if (ONLY.has('soap')) {
  const bytes = new TextEncoder().encode(hospitalReceipt(1));
  const records = await agree('soap', bytes);
  report('soap', bytes.length, records, await compare({ bare: () => bare.soap(bytes), ours: () => ours('soap', bytes) }, ROUNDS));
  await diagnose('soap', bytes, records, 201);
}

if (ONLY.has('epcis')) {
  const bytes = epcisDocument(EPCIS_EVENTS);
  const records = await agree('epcis', bytes);
  if ((await stepsChain(bytes)).join('\n') !== (await bare.epcis(bytes)).join('\n')) throw new Error('epcis: the steps chain and the bare chain disagree');
  const ms = await compare({ bare: () => bare.epcis(bytes), ours: () => ours('epcis', bytes), steps: () => stepsChain(bytes) }, ROUNDS);
  report('epcis', bytes.length, records, ms);
  const s = 1000 / ms.steps;
  console.log(`epcis  steps chain (parse, the standard's validator, event hash, stringify, no pipeline) ${s.toPrecision(3)} msg/s ${(s * records).toFixed(0)} rec/s`
    + `   ours/steps ${(ms.steps / ms.ours).toFixed(3)}`);
  Object.assign(results, { epcis_steps_ms: round(ms.steps, 3), epcis_steps_records_per_s: round(s * records), epcis_ours_over_steps: round(ms.steps / ms.ours, 3) });
  await diagnose('epcis', bytes, records, 7);
}

if (ONLY.has('csv')) {
  await agree('csv', slaughterCsv(Math.min(CSV_ROWS, 500))); // the same first rows: a check and a warm-up
  const bytes = slaughterCsv(CSV_ROWS);
  const stepRecords = 4 + 4 * CSV_ROWS;
  const memoryTakesIt = await memoryProvenanceTakes(stepRecords);
  if (!memoryTakesIt) {
    console.log(`csv: MemoryProvenance.write overflows the stack on ${stepRecords} step records; this message's records are kept in a loop instead`);
    sinks.provenance = new LoopProvenance();
  }
  results.csv_provenance = memoryTakesIt ? 'MemoryProvenance' : 'MemoryProvenance with a loop for push(...records), which overflows the stack';
  // One message takes seconds here: the phases are taken in the timed rounds (a few timer calls per row are noise).
  const phases = { bare: [] as Phases[], ours: [] as OursPhases[] };
  const ms = await compare({
    bare: async () => {
      const p: Phases = { read: 0, map: 0, validate: 0, stringify: 0 };
      await bare.csv(bytes, p);
      phases.bare.push(p);
    },
    ours: async () => {
      const outcome = await ours('csv', bytes, { phases: phases.ours });
      if (outcome.records.length !== CSV_ROWS) throw new Error('csv: rows lost');
    },
  }, CSV_ROUNDS);
  report('csv', bytes.length, CSV_ROWS, ms);
  showPhases('csv', phases, CSV_ROWS);
  sinks.provenance = new MemoryProvenance();
}

// ── Time per message as the SOAP receipt's list grows ──────────────────────────────────────────────
if (ONLY.has('sizes')) {
  // The engine's default budget first: where it refuses a receipt, the figures use a roomier one
  // (the budget is only checked, so the speed is the same).
  const roomy = new MappingEngine({ limits: { timeoutMs: 600_000 } });
  const sizes: Record<string, { bare: number; ours: number }> = {};
  const refused: Record<string, { code: string; wall_ms: number }> = {};
  for (const lines of SIZES) {
    const bytes = new TextEncoder().encode(hospitalReceipt(lines));
    const start = performance.now();
    const probe = await runMessage(bytes, plans.soap, deps());
    const wall = performance.now() - start;
    sinks.provenance.records.length = 0;
    sinks.events.events.clear();
    const failed = probe.records.find((r) => r.status !== 'stored');
    if (failed) refused[lines] = { code: failed.error?.code ?? failed.status, wall_ms: round(wall) };
    await agree('soap', bytes, { evaluator: roomy });
    sizes[lines] = await compare({ bare: () => bare.soap(bytes), ours: () => ours('soap', bytes, { evaluator: roomy }) }, ROUNDS);
    console.log(`soap ${String(lines).padStart(4)} lines ${String(bytes.length).padStart(8)} B   bare ${sizes[lines].bare.toFixed(3).padStart(9)} ms/msg`
      + `   ours ${sizes[lines].ours.toFixed(3).padStart(9)} ms/msg${failed ? `   (default engine: ${refused[lines]?.code} after ${wall.toFixed(0)} ms)` : ''}`);
  }
  const growth: Record<string, number> = {};
  for (let i = 1; i < SIZES.length; i += 1) {
    const [a, b] = [SIZES[i - 1] ?? 1, SIZES[i] ?? 1];
    const per10 = (x: number, y: number): number => round((y / x) ** (1 / Math.log10(b / a)), 2); // growth per 10× size
    growth[`ours_${a}_to_${b}`] = per10(sizes[a]?.ours ?? 1, sizes[b]?.ours ?? 1);
    growth[`bare_${a}_to_${b}`] = per10(sizes[a]?.bare ?? 1, sizes[b]?.bare ?? 1);
  }
  console.log(`time per message, growth per 10× lines: ${JSON.stringify(growth)} (goal: ours ≤ 12)`);
  Object.assign(results, {
    sizes_ms: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, { bare: round(v.bare, 3), ours: round(v.ours, 3) }])),
    sizes_growth_per_10x: growth, sizes_refused_by_default_engine: refused,
  });
}

// ── Heap after GC over many SOAP messages ───────────────────────────────────────────────────────────
if (ONLY.has('heap')) {
  // Every receipt is new (other trace codes) and the sinks are emptied after each: what stays is the pipeline's.
  const run = (n: number) => ours('soap', new TextEncoder().encode(hospitalReceipt(1, n)));
  for (let n = 0; n < HEAP_EVERY; n += 1) await run(n); // warm-up
  const samples: Array<[number, number]> = [];
  const start = performance.now();
  for (let n = 0; n <= HEAP_MESSAGES; n += 1) {
    if (n % HEAP_EVERY === 0) {
      gc();
      samples.push([n, process.memoryUsage().heapUsed]);
    }
    if (n < HEAP_MESSAGES) await run(HEAP_EVERY + n);
  }
  const seconds = (performance.now() - start) / 1000;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [mx, my] = [mean(samples.map((s) => s[0])), mean(samples.map((s) => s[1]))];
  const slope = samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / samples.reduce((a, [x]) => a + (x - mx) ** 2, 0); // bytes per message
  const [first, last] = [samples[0]?.[1] ?? 0, samples[samples.length - 1]?.[1] ?? 0];
  const fitted = slope * HEAP_MESSAGES;
  const flat = Math.abs(fitted) < 2 ** 20; // under 1 MiB over the run (26 bytes a message)
  console.log(`heap after gc, ${samples.length} samples over ${HEAP_MESSAGES} SOAP messages (${(HEAP_MESSAGES / seconds).toFixed(0)} msg/s): first ${(first / 2 ** 20).toFixed(2)} MiB, `
    + `last ${(last / 2 ** 20).toFixed(2)} MiB, slope ${((slope * 1000) / 1024).toFixed(2)} KiB per 1,000 messages, fitted growth ${(fitted / 1024).toFixed(0)} KiB: ${flat ? 'flat' : 'GROWING'}`);
  Object.assign(results, {
    heap_messages: HEAP_MESSAGES, heap_samples: samples.length, heap_first_mib: round(first / 2 ** 20, 2), heap_last_mib: round(last / 2 ** 20, 2),
    heap_slope_kib_per_1k_messages: round((slope * 1000) / 1024, 2), heap_fitted_growth_kib: round(fitted / 1024), heap_flat: flat,
  });
}

const goals: Record<string, boolean> = {};
for (const kind of ['soap', 'csv', 'epcis']) {
  const ratio = results[`${kind}_ratio`];
  if (typeof ratio === 'number') goals[`${kind}_ratio_at_least_0.8`] = ratio >= 0.8;
}
if (typeof results.epcis_ours_over_steps === 'number') goals['epcis_ours_over_steps_at_least_0.8'] = results.epcis_ours_over_steps >= 0.8;
const growth = results.sizes_growth_per_10x as Record<string, number> | undefined;
if (growth) goals.growth_at_most_12x_per_10x = Object.entries(growth).every(([k, v]) => !k.startsWith('ours') || v <= 12);
if (typeof results.heap_flat === 'boolean') goals.heap_flat = results.heap_flat;
console.log(JSON.stringify({ ...results, goals }));
