/* global window */
/**
 * Conformance (符合性认证), for certifiers: the runs kept (a platform's endpoint run from the hub, or a
 * report a platform submitted), a run's report requirement by requirement with its evidence and the
 * levels reached per profile and direction, starting a run against an endpoint (an EPCIS 2.0 interface,
 * or with an adapter named the SOAP service that adapter sends to), issuing the certificate
 * a passing run earns, and revoking one with a reason. All of it is `/v1/conformance`
 * (`src/conformance/routes.ts`); the hub decides what a run earns, the page only shows and asks.
 *
 * The profiles are chosen when the run starts (the certificate covers the levels the run reached); at
 * issuing, the certifier chooses the days it holds and the platform's name on it, as the API allows.
 */
import { api } from '../api.js';
import { badge, digest, field, h, replace } from '../dom.js';
import { language, number, t, time } from '../i18n.js';

const enc = encodeURIComponent;
const BASE = '/v1/conformance';

/** Whether the signed-in key may use this page (the API admits certifiers; admin passes every check). */
export const allowed = (session) => (session?.roles ?? []).some((r) => r === 'certifier' || r === 'admin');

const problem = (error) => `${error.code ?? t('error')}: ${error.message}`;
const bilingual = (text) => (text && typeof text === 'object' ? (language() === 'en' ? text.en : text.zh) ?? text.en ?? text.zh : text ?? '');
const VERDICT_TONE = { pass: 'ok', fail: 'bad', untested: 'warn', 'not-applicable': 'muted' };

/** A certificate's standing now: revoked, expired or valid. */
export function certificateStatus(c, now = Date.now()) {
  if (c.revokedAt) return 'revoked';
  if (Date.parse(c.expiresAt) <= now) return 'expired';
  return 'valid';
}
const STATUS_TONE = { valid: 'ok', expired: 'warn', revoked: 'bad' };

/** Goes to `hash` and then says `text` (the shell clears what was said when the address changes). */
function navigateAndSay(ctx, hash, text, tone = '') {
  window.addEventListener('hashchange', () => ctx.announce(text, tone), { once: true });
  ctx.navigate(hash);
}

export function render(main, route, ctx) {
  if (!allowed(ctx.session)) {
    replace(main, h('h1', {}, t('conf.title')), h('p', { class: 'bad' }, t('conf.certifiersOnly')));
    return undefined;
  }
  if (route.segments[0] === 'runs' && route.segments[1]) return renderRun(main, route.segments[1], ctx);
  return renderAll(main, ctx);
}

function renderAll(main, ctx) {
  const standard = h('input', { id: 'conf-standard', name: 'standard', required: true, value: 'trace.event@1.0.0', autocomplete: 'off', spellcheck: 'false' });
  const endpoint = h('input', { id: 'conf-endpoint', name: 'endpoint', type: 'url', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'https://platform.example/epcis' });
  const profiles = h('input', { id: 'conf-profiles', name: 'profiles', autocomplete: 'off', spellcheck: 'false', placeholder: 'drugs, food' });
  const platform = h('input', { id: 'conf-platform', name: 'platform', autocomplete: 'off' });
  const adapter = h('input', { id: 'conf-adapter', name: 'adapter', autocomplete: 'off', spellcheck: 'false', placeholder: 'hospital-procurement' });
  const submit = h('button', { type: 'submit' }, t('conf.start'));
  const form = h('form', { class: 'filters', id: 'conf-run-form', 'aria-labelledby': 'conf-start-title' },
    field(t('conf.standard'), standard), field(t('conf.endpoint'), endpoint), field(t('conf.profiles'), profiles), field(t('conf.platform'), platform), field(t('conf.adapter'), adapter), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    ctx.announce(t('conf.running'));
    const list = profiles.value.split(/[\s,，]+/).filter(Boolean);
    try {
      const summary = await api(`${BASE}/runs`, { method: 'POST', body: {
        standard: standard.value.trim(), endpoint: endpoint.value.trim(), ...(list.length ? { profiles: list } : {}), ...(platform.value.trim() ? { platform: platform.value.trim() } : {}),
        ...(adapter.value.trim() ? { adapter: adapter.value.trim() } : {}),
      } });
      navigateAndSay(ctx, `#/conformance/runs/${enc(summary.id)}`, t(summary.passed ? 'conf.ranPassed' : 'conf.ranFailed', { platform: summary.platform }), summary.passed ? '' : 'bad');
    } catch (error) {
      ctx.announce(problem(error), 'bad');
    } finally {
      submit.disabled = false;
    }
  });
  const runs = h('section', { 'aria-labelledby': 'conf-runs-title' }, h('h2', { id: 'conf-runs-title' }, t('conf.runs')), h('p', {}, t('loading')));
  const certs = h('section', { 'aria-labelledby': 'conf-certs-title' }, h('h2', { id: 'conf-certs-title' }, t('conf.certificates')), h('p', {}, t('loading')));
  replace(main, h('h1', {}, t('conf.title')),
    h('p', { class: 'muted' }, t('conf.help'), ' ', h('a', { href: `${BASE}/key`, download: true }, t('conf.publicKey')), ' · ', h('a', { href: `${BASE}/revocations` }, t('conf.revocations'))),
    h('section', { 'aria-labelledby': 'conf-start-title' }, h('h2', { id: 'conf-start-title' }, t('conf.startTitle')), form),
    runs, certs);
  showRuns(runs);
  showCertificates(certs, ctx);
  return undefined;
}

async function showRuns(section) {
  const heading = section.firstChild;
  let list;
  try {
    ({ runs: list } = await api(`${BASE}/runs`));
  } catch (error) {
    replace(section, heading, h('p', { class: 'bad' }, problem(error)));
    return;
  }
  if (list.length === 0) {
    replace(section, heading, h('p', {}, t('conf.noRuns')));
    return;
  }
  // The list answers no counts; each report does (the latest 50 are read, the rest say so).
  const shown = list.slice(0, 50);
  const counts = shown.map(() => h('td', { class: 'num', dataset: { figure: 'counts' } }, '…'));
  replace(section, heading, h('table', { id: 'conf-runs' },
    h('thead', {}, h('tr', {}, ['conf.col.date', 'conf.col.platform', 'conf.col.standard', 'conf.col.mode', 'conf.col.result', 'conf.col.counts', 'col.actions'].map((c) => h('th', { scope: 'col', class: c === 'conf.col.counts' ? 'num' : null }, t(c))))),
    h('tbody', {}, shown.map((r, i) => h('tr', { dataset: { run: r.id } },
      h('td', {}, h('time', { datetime: r.createdAt }, time(r.createdAt))),
      h('th', { scope: 'row' }, r.platform), h('td', {}, r.standard), h('td', {}, t(`conf.mode.${r.mode}`)),
      h('td', {}, badge(t(r.passed ? 'conf.passed' : 'conf.failed'), r.passed ? 'ok' : 'bad')),
      counts[i],
      h('td', {}, h('a', { href: `#/conformance/runs/${enc(r.id)}`, 'aria-label': t('conf.openRun', { platform: r.platform, date: time(r.createdAt) }) }, t('conf.open'))))))),
  list.length > shown.length ? h('p', { class: 'muted' }, t('conf.moreRuns', { count: list.length - shown.length })) : null);
  await Promise.all(shown.map(async (r, i) => {
    try {
      const report = await api(`${BASE}/runs/${enc(r.id)}`, { extraHeaders: { accept: 'application/json' } });
      replace(counts[i], verdictCounts(report.summary));
    } catch {
      replace(counts[i], '—');
    }
  }));
}

function verdictCounts(summary) {
  return t('conf.counts', { pass: number(summary.pass), fail: number(summary.fail), untested: number(summary.untested) });
}

async function showCertificates(section, ctx) {
  const heading = section.firstChild;
  let list;
  try {
    ({ certificates: list } = await api(`${BASE}/certificates`));
  } catch (error) {
    replace(section, heading, h('p', { class: 'bad' }, problem(error)));
    return;
  }
  if (list.length === 0) {
    replace(section, heading, h('p', {}, t('conf.noCertificates')));
    return;
  }
  replace(section, heading, h('table', { id: 'conf-certificates' },
    h('thead', {}, h('tr', {}, ['conf.col.serial', 'conf.col.platform', 'conf.col.standard', 'conf.col.issued', 'conf.col.expires', 'conf.col.status', 'col.actions'].map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, list.map((c) => {
      const status = certificateStatus(c);
      return h('tr', { dataset: { serial: c.serial, status } },
        h('th', { scope: 'row' }, h('a', { href: `${BASE}/certificates/${enc(c.serial)}`, download: `${c.serial}.json` }, h('code', {}, c.serial))),
        h('td', {}, c.platform), h('td', {}, c.standard),
        h('td', {}, h('time', { datetime: c.issuedAt }, time(c.issuedAt))),
        h('td', {}, h('time', { datetime: c.expiresAt }, time(c.expiresAt))),
        h('td', { dataset: { figure: 'status' } }, badge(t(`conf.status.${status}`), STATUS_TONE[status]),
          c.revokedAt ? h('span', { class: 'muted' }, ` ${time(c.revokedAt)}`) : null),
        h('td', {}, status === 'revoked' ? '—' : revokeForm(c, ctx, () => showCertificates(section, ctx))));
    }))));
}

function revokeForm(c, ctx, after) {
  const reason = h('input', { id: `conf-reason-${c.serial}`, name: 'reason', required: true, autocomplete: 'off', 'aria-label': t('conf.reasonFor', { serial: c.serial }), placeholder: t('conf.reason') });
  const button = h('button', { type: 'submit', class: 'secondary', 'aria-label': t('conf.revokeSerial', { serial: c.serial }) }, t('conf.revoke'));
  const form = h('form', { class: 'row' }, reason, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) {
      ctx.announce(t('conf.reasonNeeded'), 'bad');
      reason.focus();
      return;
    }
    button.disabled = true;
    try {
      await api(`${BASE}/certificates/${enc(c.serial)}/revoke`, { method: 'POST', body: { reason: reason.value.trim() } });
      ctx.announce(t('conf.revoked', { serial: c.serial }));
      await after();
    } catch (error) {
      ctx.announce(problem(error), 'bad');
      button.disabled = false;
    }
  });
  return form;
}

function renderRun(main, id, ctx) {
  const back = h('p', {}, h('a', { href: '#/conformance' }, `← ${t('conf.title')}`));
  replace(main, back, h('h1', {}, t('conf.report')), h('p', {}, t('loading')));
  (async () => {
    let report;
    try {
      report = await api(`${BASE}/runs/${enc(id)}`, { extraHeaders: { accept: 'application/json' } });
    } catch (error) {
      replace(main, back, h('h1', {}, t('conf.report')), h('p', { class: 'bad' }, problem(error)));
      return;
    }
    const facts = h('dl', { class: 'facts', id: 'conf-facts' },
      h('dt', {}, t('conf.col.platform')), h('dd', {}, report.platform),
      h('dt', {}, t('conf.col.standard')), h('dd', {}, report.standard),
      h('dt', {}, t('conf.col.mode')), h('dd', {}, t(`conf.mode.${report.mode}`)),
      h('dt', {}, t('conf.target')), h('dd', {}, report.target),
      h('dt', {}, t('conf.col.date')), h('dd', {}, h('time', { datetime: report.finishedAt }, time(report.finishedAt))),
      h('dt', {}, t('conf.col.result')), h('dd', { id: 'conf-verdict' }, badge(t(report.passed ? 'conf.passed' : 'conf.failed'), report.passed ? 'ok' : 'bad')),
      h('dt', {}, t('conf.col.counts')), h('dd', {}, verdictCounts(report.summary)),
      h('dt', {}, t('conf.digest')), h('dd', {}, digest(report.digest)));
    const levels = h('section', { 'aria-labelledby': 'conf-levels-title' }, h('h2', { id: 'conf-levels-title' }, t('conf.levels')),
      h('table', { id: 'conf-levels' },
        h('thead', {}, h('tr', {}, ['conf.col.profile', 'conf.col.direction', 'conf.col.level', 'conf.col.passedN', 'conf.col.failedReqs'].map((c) => h('th', { scope: 'col' }, t(c))))),
        h('tbody', {}, report.levels.map((l) => h('tr', {},
          h('th', { scope: 'row' }, l.profile ?? t('conf.base')), h('td', {}, t(`conf.dir.${l.direction}`)),
          h('td', {}, badge(t(l.certified ? 'conf.certified' : 'conf.notCertified'), l.certified ? 'ok' : 'bad')),
          h('td', { class: 'num' }, number(l.passed)),
          h('td', {}, failedList(l.failed)))))));
    const issue = report.passed ? issueForm(id, report, ctx) : h('p', { class: 'muted', id: 'conf-no-issue' }, t('conf.cannotIssue'));
    const requirements = h('section', { 'aria-labelledby': 'conf-reqs-title' }, h('h2', { id: 'conf-reqs-title' }, t('conf.requirements', { count: report.requirements.length })),
      h('table', { id: 'conf-requirements' },
        h('thead', {}, h('tr', {}, ['conf.col.requirement', 'conf.col.profile', 'conf.col.direction', 'conf.col.verdict', 'conf.col.evidence'].map((c) => h('th', { scope: 'col' }, t(c))))),
        h('tbody', {}, [...report.requirements].sort((a, b) => order(a.verdict) - order(b.verdict)).map((r) => h('tr', { dataset: { requirement: r.id, verdict: r.verdict } },
          h('th', { scope: 'row' }, h('code', {}, r.id), h('br', {}), h('span', {}, bilingual(r.title))),
          h('td', {}, r.profile ?? t('conf.base')), h('td', {}, t(`conf.dir.${r.direction}`)),
          h('td', {}, badge(t(`conf.verdict.${r.verdict}`), VERDICT_TONE[r.verdict])),
          h('td', {}, r.evidence.length === 0 ? (r.note ?? '—') : evidence(r.evidence)))))));
    replace(main, back, h('h1', {}, t('conf.reportOf', { platform: report.platform })), facts,
      h('p', {}, h('a', { href: `${BASE}/runs/${enc(id)}?format=html`, target: '_blank', rel: 'noopener' }, t('conf.htmlReport'))),
      h('section', { 'aria-labelledby': 'conf-issue-title' }, h('h2', { id: 'conf-issue-title' }, t('conf.issueTitle')), issue),
      levels, requirements);
  })();
  return undefined;
}

/** A level's failed requirements: up to three shown, the rest behind a disclosure. */
function failedList(ids) {
  if (ids.length === 0) return '—';
  const code = (id) => h('li', {}, h('code', {}, id));
  return [h('ul', { class: 'evidence' }, ids.slice(0, 3).map(code)),
    ids.length > 3 ? h('details', {}, h('summary', {}, t('conf.moreFailed', { count: ids.length - 3 })), h('ul', { class: 'evidence' }, ids.slice(3).map(code))) : null];
}

const order = (verdict) => ({ fail: 0, untested: 1, pass: 2 })[verdict] ?? 3;

/** The evidence of a requirement: the first few findings shown, the rest behind a disclosure. */
function evidence(findings) {
  const item = (f) => h('li', {}, badge(t(`conf.verdict.${f.verdict}`), VERDICT_TONE[f.verdict]), ' ', h('span', { class: 'muted' }, f.subjectOf), ' ', f.evidence, f.path ? h('code', {}, ` ${f.path}`) : null);
  const failing = findings.filter((f) => f.verdict === 'fail');
  const first = (failing.length ? failing : findings).slice(0, 3);
  const rest = findings.filter((f) => !first.includes(f));
  return [h('ul', { class: 'evidence' }, first.map(item)),
    rest.length ? h('details', {}, h('summary', {}, t('conf.moreEvidence', { count: rest.length })), h('ul', { class: 'evidence' }, rest.map(item))) : null];
}

function issueForm(runId, report, ctx) {
  const days = h('input', { id: 'conf-days', name: 'days', type: 'number', min: 1, max: 1098, step: 1, value: 365, required: true });
  const platform = h('input', { id: 'conf-issue-platform', name: 'platform', value: report.platform, autocomplete: 'off' });
  const button = h('button', { type: 'submit' }, t('conf.issue'));
  const certified = report.levels.filter((l) => l.certified).map((l) => `${l.profile ?? t('conf.base')} · ${t(`conf.dir.${l.direction}`)}`);
  const form = h('form', { class: 'filters', id: 'conf-issue-form' },
    h('p', { class: 'muted' }, t('conf.issueCovers', { levels: certified.join(', ') || '—' })),
    field(t('conf.days'), days), field(t('conf.issuePlatform'), platform), button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > 1098) {
      ctx.announce(t('conf.daysBad'), 'bad');
      days.focus();
      return;
    }
    button.disabled = true;
    try {
      const text = await api(`${BASE}/certificates`, { method: 'POST', body: { runId, days: n, ...(platform.value.trim() ? { platform: platform.value.trim() } : {}) } });
      const body = typeof text === 'string' ? JSON.parse(text) : text;
      const serial = body?.certificate?.serial ?? '';
      navigateAndSay(ctx, '#/conformance', t('conf.issued', { serial }));
    } catch (error) {
      ctx.announce(problem(error), 'bad');
      button.disabled = false;
    }
  });
  return form;
}
