/**
 * Validation benchmark: the standard's validator (identifier checks, code lists, cross-field rules,
 * problem mapping) against bare ajv on the same schema with every check switched off, on the valid
 * and invalid examples of `trace.event`. Rounds interleave the two; figures are medians.
 * Last line: one JSON object with the ratios.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { performance } from 'node:perf_hooks';
import { IDENTIFIER_FORMATS } from '../src/standards/identifiers/index.ts';
import { loadStandards } from '../src/standards/index.ts';
import { readExamples } from '../src/standards/examples.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 300);
const SUBJECT = 'trace.event';

const standards = await loadStandards();
const version = standards.catalog.get(SUBJECT);
const examples = readExamples(version.sourceDir ?? '');
const sets = { valid: examples.valid.map((e) => e.document), invalid: examples.invalid.map((e) => e.document) };

// The baseline: the same schemas in a bare ajv, with the standard's own checks as no-ops.
const bare = new Ajv2020({ allErrors: true, strict: false, discriminator: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(bare);
for (const name of Object.keys(IDENTIFIER_FORMATS)) bare.addFormat(name, true);
for (const keyword of ['x-classification', 'x-entitled', 'x-code-list', 'x-rules', 'x-compatibility', 'x-order']) bare.addKeyword({ keyword });
for (const v of standards.catalog.all()) if (v.schema.$id !== undefined && !bare.getSchema(String(v.schema.$id))) bare.addSchema(v.schema);
const bareValidate = bare.getSchema(String(version.schema.$id));
if (!bareValidate) throw new Error('baseline schema missing');

const runners = {
  bare: (doc: unknown) => { bareValidate(doc); },
  ours: (doc: unknown) => { standards.validate(SUBJECT, version.version, doc); },
};

/** Documents validated per second over one timed slice. */
function slice(run: (doc: unknown) => void, docs: readonly unknown[]): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < PER_ROUND_MS) {
    for (const d of docs) run(d);
    n += docs.length;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const results: Record<string, number> = {};
for (const [set, docs] of Object.entries(sets)) {
  const samples = { bare: [] as number[], ours: [] as number[] };
  for (const d of docs) { runners.bare(d); runners.ours(d); } // warm up and compile
  for (let r = 0; r < ROUNDS; r += 1) {
    const order = r % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
    for (const name of order) samples[name].push(slice(runners[name], docs));
  }
  const [b, o] = [median(samples.bare), median(samples.ours)];
  console.log(`${set.padEnd(8)} bare ajv ${b.toFixed(0).padStart(8)} docs/s   ours ${o.toFixed(0).padStart(8)} docs/s   ours/bare ${(o / b).toFixed(3)}`);
  results[`${set}_bare_per_s`] = Math.round(b);
  results[`${set}_ours_per_s`] = Math.round(o);
  results[`${set}_ratio`] = Number((o / b).toFixed(3));
}
console.log(JSON.stringify({ bench: 'validate', subject: `${SUBJECT}@${version.version}`, rounds: ROUNDS, ...results }));
