// What the code generator knows about an AST before writing code: frames' variables, constant tables, signatures.
/* eslint-disable @typescript-eslint/no-explicit-any -- the jsonata AST is untyped */

/**
 * Signature letters the inline fast path checks, and the check: with one argument per parameter, jsonata's
 * validation passes an argument of the checked kind unchanged (nothing included: every letter but `f` accepts
 * it as missing; `a` an array when no item type is given).
 */
export const SIMPLE_TYPES: Record<string, (t: string) => string> = {
  s: (t) => `(${t} === void 0 || typeof ${t} === 'string')`,
  n: (t) => `(${t} === void 0 || typeof ${t} === 'number')`,
  b: (t) => `(${t} === void 0 || typeof ${t} === 'boolean')`,
  x: () => 'true',
  a: (t) => `(${t} === void 0 || rt.isArray(${t}))`,
  as: (t) => `(${t} === void 0 || rt.isArrayOf(${t}, 'string'))`,
  an: (t) => `(${t} === void 0 || rt.isArrayOf(${t}, 'number'))`,
  ab: (t) => `(${t} === void 0 || rt.isArrayOf(${t}, 'boolean'))`,
  f: (t) => `rt.isFunction(${t})`,
};

export const BINARY: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod', '=': 'eq', '!=': 'ne',
  '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '&': 'concat', '..': 'range', in: 'includes',
};

/** Built-ins (and domain functions) whose result is never a sequence: a single value, an object, or nothing. */
export const SCALAR_RESULTS = new Set([
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase',
  'length', 'trim', 'pad', 'contains', 'replace', 'join', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number',
  'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'random', 'boolean', 'not', 'exists', 'type', 'base64encode', 'base64decode',
  'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'toMillis', 'fromMillis', 'now', 'millis',
  'uscc', 'gtin', 'drugCode', 'localTime', 'utc', 'regionName', 'cbvUrn', 'cbvWord', 'epcFromDigitalLink', 'digitalLink', 'lotUrn', 'lotClass',
]);

/** Node types whose own result may be a sequence (the rest give a single value or nothing). */
export const MAY_BE_SEQUENCE = new Set(['path', 'name', 'variable', 'wildcard', 'descendant', 'function', 'apply']);

export function literal(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '(0 / 0)';
    if (!Number.isFinite(value)) return value > 0 ? '(1 / 0)' : '(-1 / 0)';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return JSON.stringify(value);
}

export interface SimpleParam {
  readonly type: string;
  readonly optional: boolean;
}

/** `<s-nn?:s>` → [s, n, n?] when every parameter is one of `SIMPLE_TYPES` (with `-` or `?`); else undefined. */
export function parseSimpleSignature(definition: string | undefined): SimpleParam[] | undefined {
  if (definition === undefined) return undefined;
  if (!definition.startsWith('<') || !definition.endsWith('>')) return undefined;
  // The parameters: up to the `:` of the return type, at the outer level (`<s-f<s:o>n?:a<o>>`).
  let end = 1;
  for (let depth = 0; end < definition.length - 1; end++) {
    const ch = definition[end];
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    else if (ch === ':' && depth === 0) break;
  }
  const params: SimpleParam[] = [];
  const text = definition.slice(1, end);
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '-') continue;
    if (c === '?') {
      const last = params.pop();
      if (last === undefined) return undefined;
      params.push({ type: last.type, optional: true });
      continue;
    }
    if (!(c in SIMPLE_TYPES)) return undefined;
    if (c === 'a' && text[i + 1] === '<') {
      // An array of one scalar type (`a<n>`, `$sum`): passed unchanged when it is an array of that type.
      const m = /^<([snb])>/.exec(text.slice(i + 1));
      if (m === null) return undefined;
      params.push({ type: `a${m[1] as string}`, optional: false });
      i += 3;
      continue;
    }
    if (c === 'f' && text[i + 1] === '<') {
      // A function's own signature is not checked by jsonata's validation: skip it.
      let depth = 0;
      do {
        if (text[++i] === '<') depth++;
        else if (text[i] === '>') depth--;
      } while (depth > 0 && i < text.length);
    }
    params.push({ type: c, optional: false });
  }
  return params;
}

/**
 * The value of an object constructor of literal keys and literal values (or such constructors), built once and
 * frozen (`{ "1": "一级", … }` tables); `undefined` when anything in it is computed. Nothing in JSONata writes to
 * an object it did not make, and the engine hands out copies.
 */
export function constantValue(expr: any): object | undefined {
  if (expr.type !== 'unary' || expr.value !== '{' || expr.predicate !== undefined || expr.group !== undefined || expr.keepArray) return undefined;
  const result: Record<string, unknown> = {};
  for (const [key, value] of expr.lhs as any[][]) {
    if (key.type !== 'string' || key.value === '__proto__' || key.value === '_jsonata_lambda' || key.value === '_jsonata_function' || Object.hasOwn(result, key.value)) return undefined;
    let v: unknown;
    if ((value.type === 'string' || value.type === 'number' || value.type === 'value') && value.predicate === undefined && value.group === undefined && !value.keepArray) v = value.value;
    else v = constantValue(value);
    if (v === undefined) return undefined;
    result[key.value as string] = v;
  }
  return Object.freeze(result);
}

/** The names assigned in `expr`'s own frame: not inside a nested block or lambda, which have frames of their own. */
export function collectBinds(expr: any, names: Set<string>, binds?: any[]): void {
  if (expr === null || typeof expr !== 'object') return;
  if (Array.isArray(expr)) {
    for (const e of expr) collectBinds(e, names, binds);
    return;
  }
  if (expr.type === 'bind') {
    names.add(String(expr.lhs.value));
    binds?.push(expr);
    collectBinds(expr.rhs, names, binds);
    return;
  }
  if (expr.type === 'block' || expr.type === 'lambda') {
    // Their predicates and groups are evaluated in this frame.
    collectBinds(expr.predicate, names, binds);
    collectBinds(expr.group, names, binds);
    return;
  }
  for (const key of Object.keys(expr)) {
    if (key === 'signature' || key === 'value' && expr.type === 'regex') continue;
    const v = expr[key];
    if (v !== null && typeof v === 'object') collectBinds(v, names, binds);
  }
}

/** How many nodes an AST has (the size of what inlining a lambda's body copies). */
export function size(expr: any): number {
  if (expr === null || typeof expr !== 'object') return 0;
  if (Array.isArray(expr)) return expr.reduce((n: number, e: any) => n + size(e), 0);
  let n = 1;
  for (const key of Object.keys(expr)) if (key !== 'signature' && !(key === 'value' && expr.type === 'regex')) n += size(expr[key]);
  return n;
}

/** Does `expr` read the variable `$name` anywhere (nested lambdas included)? */
export function reads(expr: any, name: string): boolean {
  if (expr === null || typeof expr !== 'object') return false;
  if (Array.isArray(expr)) return expr.some((e) => reads(e, name));
  if (expr.type === 'variable' && expr.value === name) return true;
  return Object.keys(expr).some((key) => key !== 'signature' && !(key === 'value' && expr.type === 'regex') && reads(expr[key], name));
}
