/** The report a file drop writes beside every file it takes (`<file>.report.json` in `done/` or `failed/`). */
import type { Received } from '../feeds/service.ts';
import type { FailureInfo } from '../pipeline/run.ts';

/** One problem of one record, with the line where the record starts in the file. */
export interface ReportProblem {
  /** 0-based record index in the file. */
  readonly record: number;
  /** 1-based line where the record starts (CSV rows, XML elements), when the format knows it. */
  readonly line?: number;
  /** Where the record sits in the message (`/3`, `/蔬菜进场单/进场记录[2]`). */
  readonly position: string;
  /** The hub's code (`MAPPING_FAILED`, `SCHEMA_REQUIRED`, …). */
  readonly code: string;
  /** The domain check that failed inside a mapping (`USCC_CHECK`, `GS1_CHECK_DIGIT`, …), when there is one. */
  readonly problem?: string;
  /** JSON Pointer into the standard event (`""` when the record could not be mapped). */
  readonly path: string;
  readonly message: string;
  /** The department's own field the problem traces back to, when known. */
  readonly source?: string;
}

/** What a file became. `messageId` is absent only when the file never entered the feed (a name that breaks the rule). */
export interface FileReport {
  readonly file: string;
  readonly adapter: string;
  readonly messageId?: string;
  readonly type?: string;
  readonly status: 'accepted' | 'partial' | 'rejected';
  readonly takenAt: string;
  /** sha256 of the file's bytes (the blob the hub keeps). */
  readonly original?: string;
  /** Why the whole file was refused (name, encoding, parse): code, message, and line and column when known. */
  readonly error?: { readonly code: string; readonly message: string; readonly line?: number; readonly column?: number; readonly detail: Readonly<Record<string, unknown>> };
  readonly counts: { readonly records: number; readonly stored: number; readonly duplicate: number; readonly invalid: number; readonly failed: number };
  /** Every problem of every record, in record order. */
  readonly problems: readonly ReportProblem[];
}

function errorOf(failure: FailureInfo): NonNullable<FileReport['error']> {
  const { line, column } = failure.detail;
  return {
    code: failure.code, message: failure.message,
    ...(typeof line === 'number' ? { line } : {}), ...(typeof column === 'number' ? { column } : {}),
    detail: failure.detail,
  };
}

/** The report of a file the feed received. */
export function reportOf(file: string, adapter: string, outcome: Received, takenAt: Date): FileReport {
  const count = (status: string): number => outcome.records.filter((r) => r.status === status).length;
  const problems = outcome.records.flatMap((r): ReportProblem[] => {
    const at = { record: r.index, ...(r.position.line === undefined ? {} : { line: r.position.line }), position: r.position.path };
    if (r.problems.length > 0) {
      return r.problems.map((p) => ({ ...at, code: p.code, path: p.path, message: p.message, ...(p.source === undefined ? {} : { source: p.source }) }));
    }
    if (!r.error) return [];
    const problem = r.error.detail.problem;
    return [{ ...at, code: r.error.code, ...(typeof problem === 'string' ? { problem } : {}), path: '', message: r.error.message }];
  });
  return {
    file, adapter, messageId: outcome.messageId, ...(outcome.type ? { type: outcome.type } : {}), status: outcome.status,
    takenAt: takenAt.toISOString(), original: outcome.original,
    ...(outcome.error ? { error: errorOf(outcome.error) } : {}),
    counts: { records: outcome.records.length, stored: count('stored'), duplicate: count('duplicate'), invalid: count('invalid'), failed: count('failed') },
    problems,
  };
}

/** The report of a file whose name breaks the feed's naming rule: refused before it enters the feed. */
export function badNameReport(file: string, adapter: string, pattern: string, takenAt: Date): FileReport {
  return {
    file, adapter, status: 'rejected', takenAt: takenAt.toISOString(),
    error: {
      code: 'FILE_NAME_INVALID',
      message: `文件名不符合命名规则 / the file name does not follow the naming rule ${pattern}`,
      detail: { fileName: file, pattern },
    },
    counts: { records: 0, stored: 0, duplicate: 0, invalid: 0, failed: 0 },
    problems: [],
  };
}
