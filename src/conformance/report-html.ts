/** A conformance report as one self-contained HTML page (no scripts, no outside resources): summary, levels, and every requirement with its verdict and evidence. */
import type { ConformanceReport } from './report.ts';

const escape = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const VERDICT: Readonly<Record<string, string>> = { pass: '通过 / pass', fail: '不符 / fail', untested: '未测 / untested', 'not-applicable': '不适用 / not applicable' };

export function reportHtml(report: ConformanceReport): string {
  const levels = report.levels.map((l) => `<tr class="${l.certified ? 'pass' : 'fail'}"><td>${escape(l.profile ?? 'base')}</td><td>${escape(l.standard)}</td><td>${escape(l.direction === 'sends' ? '发送 / sends' : '接收 / receives')}</td><td>${l.certified ? '达标 / certified' : '未达标 / not certified'}</td><td>${l.passed}</td><td>${l.failed.map(escape).join('<br>')}</td></tr>`).join('\n');
  const rows = report.requirements.map((r) => {
    const evidence = r.evidence.map((e) => `<li class="${e.verdict}"><span class="v">${escape(e.verdict)}</span> <code>${escape(e.subjectOf)}</code>${e.path ? ` <code>${escape(e.path)}</code>` : ''} — ${escape(e.evidence)}</li>`).join('');
    const note = r.note === undefined ? '' : `<li class="note">${escape(r.note)}</li>`;
    return `<tr class="${r.verdict}" id="${escape(r.id)}"><td><code>${escape(r.id)}</code><div>${escape(r.title.zh)}<br>${escape(r.title.en)}</div></td><td>${escape(r.direction)}</td><td class="v">${escape(VERDICT[r.verdict])}</td><td><ul>${note}${evidence}</ul></td></tr>`;
  }).join('\n');
  const uncovered = report.suite.uncovered.map((u) => `<li><code>${escape(u.requirement)}</code> — ${escape(u.reason)}</li>`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>符合性检测报告 / Conformance report — ${escape(report.platform)}</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin-bottom:2rem}
td,th{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f3f3f3} tr.fail td.v,li.fail .v{color:#b00020;font-weight:600} tr.pass td.v,li.pass .v{color:#1b5e20}
tr.untested td.v,tr.not-applicable td.v{color:#777} ul{margin:0;padding-left:1.1rem} code{font-size:.85em}
.summary span{display:inline-block;margin-right:1.5rem}
</style></head><body>
<h1>符合性检测报告 / Conformance report</h1>
<p class="summary"><span>平台 / Platform: <strong>${escape(report.platform)}</strong></span><span>标准 / Standard: <strong>${escape(report.standard)}</strong></span>
<span>方式 / Mode: ${escape(report.mode === 'document' ? '文档 / document' : '接口 / interface')} (${escape(report.target)})</span>
<span>结论 / Result: <strong>${report.passed ? '通过 / passed' : '未通过 / not passed'}</strong></span></p>
<p class="summary"><span>通过 / pass: ${report.summary.pass}</span><span>不符 / fail: ${report.summary.fail}</span><span>未测 / untested: ${report.summary.untested}</span>${report.summary.notApplicable ? `<span>不适用 / not applicable: ${report.summary.notApplicable}</span>` : ''}
<span>用例 / cases: ${report.suite.cases}</span><span>${escape(report.startedAt)} – ${escape(report.finishedAt)}</span></p>
<p>报告摘要 / Report digest (sha256): <code>${escape(report.digest)}</code></p>
<h2>等级 / Levels</h2>
<table><thead><tr><th>规范 / Profile</th><th>标准 / Standard</th><th>方向 / Direction</th><th>结果 / Result</th><th>通过 / Passed</th><th>不符的要求 / Failed requirements</th></tr></thead><tbody>
${levels}
</tbody></table>
<h2>要求 / Requirements</h2>
<table><colgroup><col style="width:32%"><col style="width:8%"><col style="width:10%"><col></colgroup>
<thead><tr><th>要求 / Requirement</th><th>方向 / Direction</th><th>结论 / Verdict</th><th>证据 / Evidence</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>未覆盖 / Not covered by the suite</h2><ul>${uncovered || '<li>—</li>'}</ul>
</body></html>
`;
}
