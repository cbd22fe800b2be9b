/**
 * The report of a conformance run: every requirement with its verdict and the evidence for it, the
 * levels reached (per category profile and direction), and the report's digest that a certificate
 * names. The digest is sha256 over the canonical JSON of the report without its `digest` member.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../registry/canonical.ts';
import type { Bilingual, Direction, Finding, Requirement, RequirementKind, Suite, Verdict } from './types.ts';

export const REPORT_FORMAT = 'suyuan.conformance-report/1';

export interface RequirementResult {
  readonly id: string;
  readonly kind: RequirementKind;
  readonly standard: string;
  readonly profile: string | undefined;
  readonly direction: Direction;
  readonly title: Bilingual;
  readonly verdict: Verdict;
  readonly evidence: readonly Finding[];
  /** Why a requirement is `not-applicable`. */
  readonly note?: string;
}

/** A level: the base subject (`profile` undefined) or a category profile, in one direction. */
export interface Level {
  readonly profile: string | undefined;
  readonly standard: string;
  readonly direction: Direction;
  readonly certified: boolean;
  /** The requirements of the level that failed. */
  readonly failed: readonly string[];
  readonly passed: number;
}

export interface ConformanceReport {
  readonly format: typeof REPORT_FORMAT;
  readonly platform: string;
  readonly standard: string;
  readonly mode: 'document' | 'interface';
  /** What was checked: the bundle's folder name, or the endpoint URL. */
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly suite: { readonly requirements: number; readonly cases: number; readonly uncovered: Suite['uncovered'] };
  readonly summary: { readonly pass: number; readonly fail: number; readonly untested: number; readonly notApplicable?: number };
  /** Every requirement that failed, by id: what a platform must fix. */
  readonly failed: readonly string[];
  readonly passed: boolean;
  readonly levels: readonly Level[];
  readonly requirements: readonly RequirementResult[];
  /** sha256 (hex) of the canonical JSON of every other member. */
  readonly digest: string;
}

export interface ReportInput {
  readonly platform: string;
  readonly mode: ConformanceReport['mode'];
  readonly target: string;
  readonly suite: Suite;
  /** Requirements the run adds to the suite's (document or interface checks). */
  readonly extra: readonly Requirement[];
  readonly findings: readonly Finding[];
  /** The direction a requirement is judged in. */
  readonly directionOf: (requirement: Requirement) => Direction;
  /** Requirements that cannot apply to this run, with the reason; they get no evidence and the verdict `not-applicable`. */
  readonly notApplicable?: Readonly<Record<string, string>>;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** sha256 of a report's canonical JSON without its digest. */
export function reportDigest(report: Omit<ConformanceReport, 'digest'> | ConformanceReport): string {
  const { digest: _digest, ...rest } = report as ConformanceReport;
  return createHash('sha256').update(canonicalJson(JSON.parse(JSON.stringify(rest)) as unknown), 'utf8').digest('hex');
}

export function buildReport(input: ReportInput): ConformanceReport {
  const byRequirement = new Map<string, Finding[]>();
  for (const f of input.findings) byRequirement.set(f.requirement, [...(byRequirement.get(f.requirement) ?? []), f]);
  const all = [...input.extra, ...input.suite.requirements];
  const requirements: RequirementResult[] = all.map((r) => {
    const evidence = byRequirement.get(r.id) ?? [];
    const note = evidence.length === 0 ? input.notApplicable?.[r.id] : undefined;
    const verdict: Verdict = note !== undefined ? 'not-applicable' : evidence.length === 0 ? 'untested' : evidence.some((f) => f.verdict === 'fail') ? 'fail' : 'pass';
    return { id: r.id, kind: r.kind, standard: r.standard, profile: r.profile, direction: input.directionOf(r), title: r.title, verdict, evidence, ...(note === undefined ? {} : { note }) };
  });
  const directions = [...new Set(requirements.filter((r) => r.verdict === 'pass' || r.verdict === 'fail').map((r) => r.direction))].sort();
  const global = requirements.filter((r) => r.kind === 'document' || r.kind === 'interface');
  const levels: Level[] = [];
  for (const s of input.suite.subjects) {
    for (const direction of directions) {
      const own = requirements.filter((r) => r.standard === `${s.subject}@${s.version}` && r.direction === direction && r.kind !== 'document' && r.kind !== 'interface');
      const scope = [...own, ...global.filter((r) => r.direction === direction && (r.profile === undefined || r.profile === s.profile))];
      const failed = scope.filter((r) => r.verdict === 'fail').map((r) => r.id);
      const passed = scope.filter((r) => r.verdict === 'pass').length;
      // A level needs evidence of its own: some requirement of the subject passed in this run, in either direction.
      const exercised = requirements.some((r) => r.standard === `${s.subject}@${s.version}` && r.kind !== 'document' && r.kind !== 'interface' && r.verdict === 'pass');
      levels.push({ profile: s.profile, standard: `${s.subject}@${s.version}`, direction, certified: exercised && failed.length === 0 && passed > 0, failed, passed });
    }
  }
  const count = (v: Verdict): number => requirements.filter((r) => r.verdict === v).length;
  const failed = requirements.filter((r) => r.verdict === 'fail').map((r) => r.id);
  const body: Omit<ConformanceReport, 'digest'> = {
    format: REPORT_FORMAT, platform: input.platform, standard: input.suite.standard, mode: input.mode, target: input.target,
    startedAt: input.startedAt.toISOString(), finishedAt: input.finishedAt.toISOString(),
    suite: { requirements: input.suite.requirements.length, cases: input.suite.cases.length, uncovered: input.suite.uncovered },
    summary: { pass: count('pass'), fail: count('fail'), untested: count('untested'), ...(count('not-applicable') > 0 ? { notApplicable: count('not-applicable') } : {}) },
    failed, passed: failed.length === 0 && count('pass') > 0, levels, requirements,
  };
  return { ...body, digest: reportDigest(body) };
}
