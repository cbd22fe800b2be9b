// Paths in generated code: field reads written where they are named, steps from leading names, jsonata's general path.
/* eslint-disable @typescript-eslint/no-explicit-any -- the jsonata AST is untyped */
import { Emitter, Unsupported, type Fn, type Scope } from './emitter.ts';

/** The part of the generator that writes paths; the rest of it (`Generator`) writes the nodes of their steps. */
export abstract class PathWriter extends Emitter {
  /** Code whose value is already normalised (`rt.norm` would leave it as it is). */
  readonly normalised = new Set<string>();

  /** `evaluate(expr)` of a node: its code. */
  abstract node(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string;
  /** A predicate applied to the value of `code`. */
  abstract filter(pred: any, code: string, scope: Scope, depth: number): string;
  /** An object constructor (or group-by) over `input`. */
  abstract group(expr: any, input: string, scope: Scope, depth: number, fn?: Fn): string;

  path(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string {
    const steps: any[] = expr.steps;
    if (expr.tuple) throw new Unsupported('a tuple stream (@, #)', expr.position);
    const firstIsVariable = steps[0]?.type === 'variable';
    const consFirst = steps[0]?.consarray === true;
    const parts: string[] = [];
    let allNames = true;
    steps.forEach((step, i) => {
      if (step.focus !== undefined || step.index !== undefined || step.ancestor !== undefined || step.tuple) {
        throw new Unsupported('a focus, index or parent binding (@, #, %)', step.position);
      }
      if (i === 0 && consFirst) {
        allNames = false;
        parts.push(this.closure((f, x) => this.node(step, x, scope, f, depth + 1)));
        return;
      }
      const stages: any[] = step.stages ?? [];
      for (const stage of stages) if (stage.type !== 'filter') throw new Unsupported('a tuple stream (@, #)', step.position);
      if (step.type === 'sort') {
        allNames = false;
        parts.push(`new rt.SortStep(${this.closure((_, s) => {
          const terms = (step.terms as any[]).map((term) => `[${this.closure((f, x) => this.node(term.expression, x, scope, f, depth + 2))}, ${term.descending === true}]`);
          return stages.reduce((code: string, stage: any) => this.filter(stage.expr, code, scope, depth + 1), `rt.orderBy(${s}, [${terms.join(', ')}])`);
        }, 's')})`);
        return;
      }
      if (step.type === 'name' && stages.length === 0 && step.predicate === undefined && step.group === undefined && !step.keepArray) {
        parts.push(JSON.stringify(String(step.value)));
        return;
      }
      allNames = false;
      parts.push(this.closure((f, x) => stages.reduce((code: string, stage: any) => this.filter(stage.expr, code, scope, depth + 1), this.node(step, x, scope, f, depth + 1))));
    });
    const first = steps[0];
    const rest = steps.slice(1);
    // Only `rt.norm` reads the result: nothing may be answered as undefined, one item as itself.
    const plain = expr.keepSingletonArray !== true && expr.predicate === undefined && expr.group === undefined;
    if (allNames && plain) {
      const names = steps.map((st) => String(st.value));
      return this.fieldReads(inp, names, (o, list) => `rt.namePath(${o}, ${list})`, fn);
    }
    if (firstIsVariable && rest.length > 0 && rest.every((st, i) => typeof parts[i + 1] === 'string' && (parts[i + 1] as string).startsWith('"'))
      && first.stages === undefined && first.predicate === undefined && first.group === undefined && !first.keepArray) {
      // `$v.a.b`: the variable's value, then field names.
      const value = this.node(first, inp, scope, fn, depth + 1);
      if (plain && expr.keepSingletonArray !== true) return this.fieldReads(value, rest.map((st) => String(st.value)), (o, list) => `rt.fields(${o}, ${list})`, fn);
      const names = this.k(Object.freeze(rest.map((st) => String(st.value))));
      let code = `rt.varPath(${value}, ${names}, ${expr.keepSingletonArray === true}, ${plain})`;
      if (expr.group !== undefined) code = this.group(expr.group, code, scope, depth);
      return code;
    }
    const bareFirst = first.stages === undefined && first.predicate === undefined && first.group === undefined && !first.keepArray;
    const from = firstIsVariable ? 1 : 0;
    let to = from;
    while (to < steps.length && (parts[to] as string).startsWith('"')) to++;
    if (!consFirst && (bareFirst || !firstIsVariable) && to > from && to < steps.length) {
      // `$v.a.b.(…)…`, `a.b.(…)…`: the leading names read as a plain path reads them (its items are what their steps
      // would give the next step), then the steps after them.
      const names = steps.slice(from, to).map((st) => String(st.value));
      const value = firstIsVariable
        ? this.fieldReads(this.node(first, inp, scope, fn, depth + 1), names, (o, list) => `rt.fields(${o}, ${list})`, fn)
        : this.fieldReads(inp, names, (o, list) => `rt.namePath(${o}, ${list})`, fn);
      let code = this.stepsFrom(value, parts.slice(to), expr.keepSingletonArray === true);
      if (expr.group !== undefined) code = this.group(expr.group, code, scope, depth);
      return code;
    }
    if (firstIsVariable && rest.length > 0 && bareFirst) {
      // `$v.(…)…`: the variable's value, then the steps after it.
      const value = this.node(first, inp, scope, fn, depth + 1);
      let code = this.stepsFrom(value, parts.slice(1), expr.keepSingletonArray === true);
      if (expr.group !== undefined) code = this.group(expr.group, code, scope, depth);
      return code;
    }
    const list = allNames ? this.k(Object.freeze(steps.map((s) => String(s.value)))) : this.hoist(`[${parts.join(', ')}]`, this.mark());
    let code = `rt.path(${inp}, ${list}, ${firstIsVariable}, ${consFirst}, ${expr.keepSingletonArray === true})`;
    if (expr.group !== undefined) code = this.group(expr.group, code, scope, depth);
    return code;
  }

  /**
   * `rt.pathFrom(value, steps, keepSingletonArray)`; for one step that is a function of the item, its loop written
   * out (evaluateStep at the last step): the step is then called from one place, where it can be inlined.
   */
  stepsFrom(value: string, steps: readonly string[], keepSingletonArray: boolean): string {
    const step = steps[0] as string;
    if (steps.length !== 1 || keepSingletonArray || !/^(?:c\d+|\(\(x\d+\) => )/.test(step)) {
      return `rt.pathFrom(${value}, ${this.hoist(`[${steps.join(', ')}]`, this.mark())}, ${keepSingletonArray})`;
    }
    const start = this.mark();
    const [v, o, n, f, r, a, i] = Array.from({ length: 7 }, () => this.id('x')) as [string, string, string, string, string, string, string];
    const loop = `((${v}) => { let ${o} = rt.seq0(), ${n} = 0, ${f}, ${r}, ${a}, ${i}; if (${v} === void 0) return ${o}; `
      + `${a} = rt.isArray(${v}) && ${v}.cons !== true ? ${v} : [${v}]; `
      + `for (${i} = 0; ${i} < ${a}.length; ${i}++) { ${r} = ${step}(${a}[${i}]); if (${r} === void 0) continue; if (++${n} === 1) ${f} = ${r}; `
      + `if (!rt.isArray(${r}) || ${r}.cons) ${o}.push(${r}); else rt.pushAll(${o}, ${r}); } `
      + `return ${n} === 1 && rt.isArray(${f}) && !rt.isSequence(${f}) ? ${f} : ${o}; })`;
    return `${this.hoist(loop, start)}(${value})`;
  }

  /**
   * `walk` written out for `names` from `value`: through plain objects (not arrays, not functions) whose fields are
   * not arrays, each field is read where it is named (its own inline cache); at an array field the steps go on in
   * `rt.walkSteps`; from anything else but a plain object the look-up gives nothing; `generic(o)` answers a value that
   * is not a plain object to begin with. The result is normalised (`rt.norm`), as `node` would make it.
   */
  fieldReads(value: string, names: readonly string[], generic: (o: string, list: string) => string, fn: Fn): string {
    const o = this.temp(fn);
    const u = this.temp(fn);
    const list = this.k(Object.freeze([...names]));
    let code = u;
    for (let i = names.length - 1; i >= 0; i--) {
      const name = JSON.stringify(names[i]);
      const plainObject = `(${o} = ${i === 0 ? value : u}) !== null && typeof ${o} === 'object' && !rt.isArray(${o}) && ${o}._jsonata_function !== true && ${o}._jsonata_lambda !== true`;
      // Own: by the object's shape when it is plain data and the name is not Object.prototype's, else looked up.
      const own = `(rt.getPrototypeOf(${o}) === rt.OBJECT_PROTOTYPE && !(${name} in rt.OBJECT_PROTOTYPE) || rt.own(${o}, ${name}))`;
      const step = `${own} ? ((${u} = ${o}[${name}]) === void 0 ? void 0 : rt.isArray(${u}) ? rt.norm(rt.walkArray(${u}, ${list}, ${i})) : ${code}) : void 0`;
      code = `(${plainObject} ? (${step}) : ${i === 0 ? `rt.norm(${generic(o, list)})` : 'void 0'})`;
    }
    this.normalised.add(code);
    return code;
  }
}
