/** Which suite requirement a problem of a platform's own event bears on, and which ones a conforming event meets. */
import type { Problem } from '../errors.ts';
import { RULES } from '../standards/rules.ts';
import { generalPath, readPointer, stringLeaves } from './json-edit.ts';
import type { Requirement } from './types.ts';

const RULE_BY_CODE = new Map(Object.values(RULES).map((r) => [r.code, r.name]));

/** The requirements of one subject version and kind of event, by id. */
export class RequirementIndex {
  readonly #ids: Set<string>;
  readonly #byPrefix = new Map<string, Requirement[]>();

  constructor(requirements: readonly Requirement[]) {
    this.#ids = new Set(requirements.map((r) => r.id));
    for (const r of requirements) {
      const prefix = r.id.split('/').slice(0, 2).join('/');
      this.#byPrefix.set(prefix, [...(this.#byPrefix.get(prefix) ?? []), r]);
    }
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** The requirement a problem of an event of `type` under `standard` falls under: rule, identifier, member, else the minimal one. */
  forProblem(standard: string, type: string, problem: Problem): string {
    const prefix = `${standard}/${type}`;
    const rule = RULE_BY_CODE.get(problem.code);
    if (rule && this.has(`${prefix}/rule/${rule}`)) return `${prefix}/rule/${rule}`;
    const identifier = `${prefix}/identifier${generalPath(problem.path)}/${problem.code}`;
    if (this.has(identifier)) return identifier;
    const tokens = problem.path.split('/').slice(1);
    for (let n = Math.min(tokens.length, 2); n >= 1; n -= 1) {
      const field = `${prefix}/field/${tokens.slice(0, n).join('/')}`;
      if (this.has(field)) return field;
    }
    return `${prefix}/minimal`;
  }

  /**
   * The requirements an event meets: every one of its kind whose member it carries without a problem
   * (members, identifiers), the rules when no problem of theirs is reported, and the minimal one when it is valid.
   */
  metBy(standard: string, type: string, event: unknown, failed: ReadonlySet<string>): string[] {
    const prefix = `${standard}/${type}`;
    const leaves = new Set(stringLeaves(event).map((l) => generalPath(l.path)));
    const met: string[] = [];
    for (const r of this.#byPrefix.get(prefix) ?? []) {
      if (failed.has(r.id)) continue;
      const rest = r.id.slice(prefix.length);
      if (rest === '/minimal' && failed.size === 0) met.push(r.id);
      else if (rest.startsWith('/field/') && readPointer(event, rest.slice('/field'.length)) !== undefined) met.push(r.id);
      else if (rest.startsWith('/identifier/')) {
        const at = rest.slice('/identifier'.length).replace(/\/[A-Z0-9_]+$/, '');
        if (leaves.has(at)) met.push(r.id);
      } else if (rest.startsWith('/rule/') && failed.size === 0) met.push(r.id);
    }
    return met;
  }
}
