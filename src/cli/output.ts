/** Small helpers the CLI commands share for printing. */
import { relative } from 'node:path';
import type { Problem } from '../errors.ts';

/** A path shown relative to the working directory when it lies beneath it. */
export function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function formatProblem(p: Problem): string {
  return `  ${p.code}  ${p.path || '/'}  ${p.message}`;
}
