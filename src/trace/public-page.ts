/** The public trace page: one self-contained HTML document (inline style, no script, no external asset), in Chinese and English. */
import type { EventSummary } from './answers.ts';

export interface PublicHop extends EventSummary {
  readonly direction: string;
  readonly event: unknown;
}

const STEPS: Readonly<Record<string, string>> = {
  commissioning: '赋码生产 / Commissioned', shipping: '发货 / Shipped', receiving: '收货 / Received', packing: '装箱 / Packed',
  unpacking: '拆箱 / Unpacked', retail_selling: '零售 / Sold at retail', dispensing: '调剂发药 / Dispensed', inspecting: '检验 / Inspected',
  accepting: '验收 / Accepted', storing: '储存 / Stored', transporting: '运输 / In transport', destroying: '销毁 / Destroyed',
  'urn:suyuan:bizstep:slaughtering': '屠宰 / Slaughtered', 'urn:suyuan:bizstep:quarantining': '检疫 / Quarantined',
  'urn:suyuan:bizstep:market_entering': '进入市场 / Entered the market', 'urn:suyuan:bizstep:market_exiting': '出场 / Left the market',
};
const DIRECTIONS: Readonly<Record<string, string>> = { source: '来源 / Source', self: '本品 / This item', destination: '去向 / Destination' };

const escape = (text: unknown): string => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Everything a value holds, as one line of text (for lists and objects the page shows plainly). */
function plain(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(plain).join('; ');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${plain(v)}`).join(', ');
  return String(value);
}

/** The page for `code`: one row per hop, in time order, showing only what each hop's (already filtered) event shows. */
export function publicPage(code: string, hops: readonly PublicHop[]): string {
  const rows = hops.map((h) => {
    const event = (h.event ?? {}) as Record<string, unknown>;
    const details = Object.entries(event).filter(([k]) => !['@context', 'type', 'eventTime', 'eventTimeZoneOffset', 'bizStep', 'sy:place', 'bizLocation'].includes(k))
      .map(([k, v]) => `<li><code>${escape(k)}</code> ${escape(plain(v))}</li>`).join('');
    return `<tr><td>${escape(h.eventTime)}</td><td>${escape(DIRECTIONS[h.direction] ?? h.direction)}</td><td>${escape(STEPS[h.bizStep ?? ''] ?? h.bizStep ?? h.type)}</td>`
      + `<td>${escape(h.region)}</td><td>${escape(h.location)}</td><td><ul>${details}</ul></td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>追溯查询 ${escape(code)} / Trace</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:1.5rem;color:#1d2733}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d5dbe3;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7}code{background:#f3f5f8;padding:0 .2rem}ul{margin:0;padding-left:1rem}.none{color:#6b7785}
</style></head>
<body><h1>追溯查询 / Trace: <code>${escape(code)}</code></h1>
<p>以下为公开信息；商业信息仅向有权部门提供。 / Public information only; commercial details are kept for the departments entitled to them.</p>
${hops.length === 0 ? '<p class="none">没有记录 / No records</p>' : `<table><thead><tr><th>时间 / Time</th><th>环节 / Stage</th><th>业务 / Step</th><th>地区 / Region</th><th>位置 / Location</th><th>详情 / Details</th></tr></thead>
<tbody>
${rows}
</tbody></table>`}
</body></html>
`;
}
