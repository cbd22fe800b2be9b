/**
 * CSV parser benchmark: papaparse against csv-parse (sync API, with and without per-record line
 * info) and our `csvFormat` (parse + split), on 100,000 realistic slaughterhouse rows (Chinese text,
 * quoted fields with delimiters, doubled quotes and line breaks, CRLF), written in GBK and decoded
 * once by `decode`. Rounds interleave the contenders; figures are medians. Last line: one JSON object.
 */
import { parse as csvParse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { csvFormat } from '../src/formats/csv.ts';
import { decode } from '../src/formats/decode.ts';
import { random } from './fixtures/pipeline-fixtures.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);


const rnd = random(20261129);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');

const HEADER = ['追溯码', '屠宰企业名称', '统一社会信用代码', '动物检疫合格证明编号', '产品名称', '重量(千克)', '屠宰日期', '进场批次', '购货方', '购货方地址', '备注'];
const PLANTS = ['杭州市余杭区定点屠宰场有限公司', '宁波市鄞州区生猪定点屠宰厂', '温州市瓯海区肉类联合加工厂', '嘉兴五丰食品有限公司', '金华市金东区畜禽屠宰中心'];
const USCC = ['91330110MA2H3X4Y5Z', '91330212704800123K', '913303047043552197', '91330400MA28A9T33N', '91330703MA29Q1E2XB'];
const PRODUCTS = ['猪白条肉', '猪头', '猪前腿肉', '猪后腿肉', '猪排骨', '猪蹄', '猪肝', '猪大肠', '五花肉,去皮'];
const BUYERS = ['张建国', '李秀英', '杭州联华华商集团有限公司', '宁波三江购物俱乐部股份有限公司', '余杭区临平农贸市场王记肉铺'];
const PLACES = ['浙江省杭州市余杭区良渚街道, 农副产品物流中心3号楼', '浙江省宁波市鄞州区首南街道 菜场12号摊位', '浙江省温州市鹿城区 "新城" 农贸市场'];
const NOTES = ['冷链运输, 温度 -18℃', '规格 "A级", 已复检', '第一车次\r\n第二车次已补录', '驻场官方兽医: 陈立', '瘦肉精抽检合格'];

const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const row = (): string[] => [
  `0${digits(19)}`, pick(PLANTS), pick(USCC), `A${digits(10)}`, pick(PRODUCTS), (rnd() * 120 + 1).toFixed(2),
  `2026-11-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')} ${String(Math.floor(rnd() * 24)).padStart(2, '0')}:${digits(1)}5:00`,
  `PC${digits(8)}`, pick(BUYERS), pick(PLACES), rnd() < 0.7 ? '' : pick(NOTES),
];
const lines = [HEADER.join(',')];
for (let i = 0; i < ROWS; i += 1) lines.push(row().map(cell).join(','));
const gbk = iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');
let start = performance.now();
const { text } = decode(gbk, { declared: 'gbk' });
const decodeMs = performance.now() - start;

const columns = Object.fromEntries(HEADER.map((title, i) => [title, `f${i}`]));
const runners = {
  papaparse: () => Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n', skipEmptyLines: true }).data,
  'csv-parse': () => csvParse(text, { delimiter: ',', skip_empty_lines: true }) as string[][],
  'csv-parse+info': () => (csvParse(text, { delimiter: ',', skip_empty_lines: true, info: true }) as unknown as { record: string[] }[]).map((r) => r.record),
  csvFormat: () => csvFormat.split(csvFormat.parse(text, { columns, limits: { maxNodes: ROWS + 1 } }), { columns }),
};
type Name = keyof typeof runners;
const names = Object.keys(runners) as Name[];

// The parsers must agree before their speed means anything.
const reference = runners.papaparse();
for (const name of ['csv-parse', 'csv-parse+info'] as const) {
  if (!isDeepStrictEqual(runners[name](), reference)) throw new Error(`${name} disagrees with papaparse`);
}
if (runners.csvFormat().length !== ROWS) throw new Error('csvFormat lost rows');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
for (let r = 0; r < ROUNDS; r += 1) {
  const order = names.map((_, i) => names[(i + r) % names.length] as Name);
  for (const name of order) {
    start = performance.now();
    runners[name]();
    samples[name].push(performance.now() - start);
  }
}

const mb = text.length / 1e6;
const ms = Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<Name, number>;
console.log(`${ROWS} rows, ${(gbk.length / 1e6).toFixed(1)} MB GBK, ${mb.toFixed(1)} M chars; decode ${decodeMs.toFixed(0)} ms; ${ROUNDS} rounds`);
for (const name of names) {
  console.log(`${name.padEnd(15)} ${ms[name].toFixed(0).padStart(6)} ms  ${((ROWS / ms[name]) * 1000).toFixed(0).padStart(8)} rows/s  ${(ms[name] / ms.papaparse).toFixed(2)} × papaparse`);
}
console.log(JSON.stringify({
  bench: 'csv-parsers', rows: ROWS, gbk_bytes: gbk.length, chars: text.length, rounds: ROUNDS, decode_ms: Math.round(decodeMs),
  ...Object.fromEntries(names.map((n) => [`${n}_ms`, Math.round(ms[n])])),
  ...Object.fromEntries(names.filter((n) => n !== 'papaparse').map((n) => [`${n}_over_papaparse`, Number((ms[n] / ms.papaparse).toFixed(2))])),
}));
