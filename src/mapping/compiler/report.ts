// Which mappings of a repository run compiled, and why any does not: `suyuan mapping compile --report`.
import jsonata from 'jsonata';
import { allBridges } from '../bridges.ts';
import { loadMappings } from '../repository.ts';
import { compileExpression } from './index.ts';

/** One mapping or bridge: how it runs, and why not compiled when it is not. */
export interface CompileReportRow {
  readonly id: string;
  readonly version: string;
  readonly kind: 'mapping' | 'bridge';
  readonly mode: 'native' | 'interpreter' | 'syntax-error';
  readonly reason?: string;
}

/** Compiles every mapping under `<root>/mappings/` and every version bridge; nothing is evaluated. */
export function compileReport(root?: string): CompileReportRow[] {
  const sources = [
    ...loadMappings(root).map((m) => ({ id: m.id, version: m.version, source: m.source, kind: 'mapping' as const })),
    ...allBridges(root).map((b) => ({ id: b.id, version: b.version, source: b.source, kind: 'bridge' as const })),
  ];
  return sources.map(({ id, version, source, kind }): CompileReportRow => {
    let expression: jsonata.Expression;
    try {
      expression = jsonata(source);
    } catch (error) {
      return { id, version, kind, mode: 'syntax-error', reason: String((error as { message?: unknown }).message ?? error) };
    }
    try {
      const outcome = compileExpression(expression);
      return outcome.compiled ? { id, version, kind, mode: 'native' } : { id, version, kind, mode: 'interpreter', reason: outcome.reason };
    } catch (error) {
      return { id, version, kind, mode: 'interpreter', reason: `the compiler failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  });
}
