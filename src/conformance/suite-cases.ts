/** The cases of one subject version, per kind of event: minimal, optional members, alternatives, identifiers, rules, examples. */
import type { Problem } from '../errors.ts';
import { isJsonObject, type JsonObject } from '../standards/json.ts';
import type { Rule } from '../standards/rules.ts';
import { child, generalPath, readPointer, stringLeaves, under, withValue, without } from './json-edit.ts';
import { minimize } from './minimize.ts';
import { RULE_CASES } from './rule-cases.ts';
import { schemaFacts, type SchemaLookup } from './schema-walk.ts';
import type { Bilingual, Requirement, RequirementKind, SuiteCase } from './types.ts';

export interface Seeds {
  readonly valid: ReadonlyArray<{ readonly name: string; readonly document: unknown }>;
  /** Hand-written seeds (`seeds/`): used to build cases, not themselves examples of the standard. */
  readonly extra: ReadonlyArray<{ readonly name: string; readonly document: unknown }>;
  readonly invalid: ReadonlyArray<{ readonly name: string; readonly document: unknown; readonly expected: ReadonlyArray<{ code: string; path?: string }> }>;
}

export interface CaseInput {
  readonly subject: string;
  readonly version: string;
  readonly profile: string | undefined;
  readonly schema: JsonObject;
  readonly lookup: SchemaLookup;
  readonly seeds: Seeds;
  readonly validate: (document: unknown) => readonly Problem[];
  readonly rules: Readonly<Record<string, Rule>>;
}

export interface BuiltCases {
  readonly requirements: Requirement[];
  readonly cases: SuiteCase[];
  readonly uncovered: Array<{ requirement: string; reason: string }>;
}

/** Wrong values tried, in order, to break a member: a value of its type that is empty, then one of another type. */
function breakers(value: unknown): unknown[] {
  if (typeof value === 'string') return ['', 12345];
  if (Array.isArray(value)) return [[], 'not-a-list'];
  if (isJsonObject(value)) return [{}, 'not-an-object'];
  return ['not-a-value'];
}

/** Corruptions of an identifier: the last digit of each run of digits changed, longest run first. */
function corruptions(value: string): string[] {
  const runs = [...value.matchAll(/\d+/g)].sort((a, b) => b[0].length - a[0].length).slice(0, 4);
  return runs.map((m) => {
    const end = (m.index ?? 0) + m[0].length - 1;
    const digit = Number(value[end]);
    return `${value.slice(0, end)}${String((digit + 1) % 10)}${value.slice(end + 1)}`;
  });
}

const typeOf = (d: unknown): string => (isJsonObject(d) && typeof d.type === 'string' ? d.type : 'document');

export function buildCases(input: CaseInput): BuiltCases {
  const { subject, version, profile } = input;
  const standard = `${subject}@${version}`;
  const requirements: Requirement[] = [];
  const cases: SuiteCase[] = [];
  const uncovered: Array<{ requirement: string; reason: string }> = [];
  const seenRequirements = new Set<string>();
  const isValid = (d: unknown): boolean => input.validate(d).length === 0;

  const requirement = (id: string, kind: RequirementKind, title: Bilingual): void => {
    if (seenRequirements.has(id)) return;
    seenRequirements.add(id);
    requirements.push({ id, kind, standard, profile, title });
  };
  const addCase = (req: string, variant: string, title: Bilingual, document: unknown, problem?: Problem): void => {
    cases.push({
      id: `${req}#${variant}`, requirement: req, title, subject, version, profile,
      expect: problem ? 'invalid' : 'valid', ...(problem ? { code: problem.code, path: problem.path } : {}), document,
    });
  };
  /** The problem a broken document is expected to be refused with: one at or under `path` if any, else the first. */
  const problemOf = (d: unknown, path: string): Problem | undefined => {
    const problems = input.validate(d);
    return problems.find((p) => under(p.path, path)) ?? problems[0];
  };

  const groups = new Map<string, unknown[]>();
  for (const seed of [...input.seeds.valid, ...input.seeds.extra]) {
    if (!isValid(seed.document)) continue;
    const t = typeOf(seed.document);
    groups.set(t, [...(groups.get(t) ?? []), seed.document]);
  }

  for (const [type, seeds] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const prefix = `${standard}/${type}`;
    const first = seeds[0];
    const minimal = minimize(first, isValid);
    const minimalId = `${prefix}/minimal`;
    requirement(minimalId, 'minimal', { zh: `仅含必填字段的 ${type} 合规`, en: `A ${type} with only its required members conforms` });
    addCase(minimalId, 'happy', { zh: `${type}：无可选字段`, en: `${type} without optional members` }, minimal);
    const happyDocs: unknown[] = [minimal];

    // Optional members: every member the seeds use, at the top and one level down, that the minimal document lacks.
    const fields = new Set<string>();
    for (const s of seeds) {
      if (!isJsonObject(s)) continue;
      for (const [k, v] of Object.entries(s)) {
        if (k === 'type') continue;
        fields.add(child('', k));
        if (isJsonObject(v)) for (const sub of Object.keys(v)) fields.add(child(child('', k), sub));
      }
    }
    for (const field of [...fields].sort()) {
      if (readPointer(minimal, field) !== undefined) continue;
      const id = `${prefix}/field${field}`;
      const title = { zh: `可选字段 ${field.slice(1)}：合规值被接受，不合规值被拒绝`, en: `Optional member ${field.slice(1)}: a conforming value is accepted, a non-conforming one refused` };
      requirement(id, 'field', title);
      const source = seeds.find((s) => readPointer(s, field) !== undefined);
      const value = readPointer(source, field);
      let happy: unknown = withValue(minimal, field, value);
      if (!isValid(happy)) happy = minimize(source, isValid, [field]);
      if (!isValid(happy) || readPointer(happy, field) === undefined) {
        uncovered.push({ requirement: id, reason: 'no valid document with this member could be built from the examples' });
        continue;
      }
      happyDocs.push(happy);
      addCase(id, 'happy', { zh: `${type}：带 ${field.slice(1)}`, en: `${type} with ${field.slice(1)}` }, happy);
      const broken = breakers(readPointer(happy, field)).map((b) => withValue(happy, field, b)).find((d) => !isValid(d));
      const problem = broken === undefined ? undefined : problemOf(broken, field);
      if (broken === undefined || !problem) {
        uncovered.push({ requirement: id, reason: 'the standard accepts any value of this member' });
        continue;
      }
      addCase(id, 'fail', { zh: `${type}：${field.slice(1)} 取值不合规`, en: `${type} with a non-conforming ${field.slice(1)}` }, broken, problem);
    }

    const facts = schemaFacts(input.schema, input.lookup, type === 'document' ? undefined : type);

    // Alternatives: each branch alone is accepted; none at all is refused.
    facts.alternatives.forEach((alt) => {
      const names = alt.branches.map((b) => b.join('+')).join(' | ');
      const id = `${prefix}/alternative${alt.path}/${alt.keyword}(${names})`;
      requirement(id, 'alternative', { zh: `选择之一（${alt.keyword}）：${names}`, en: `One of the alternatives (${alt.keyword}): ${names}` });
      const at = alt.path.replace(/\*/g, '0');
      const all = [...new Set(alt.branches.flat())];
      let firstHappy: unknown;
      alt.branches.forEach((branch, i) => {
        const keep = branch.map((m) => child(at, m));
        const source = [...seeds, ...happyDocs].find((s) => keep.every((k) => readPointer(s, k) !== undefined));
        if (source === undefined) {
          uncovered.push({ requirement: `${id}#branch-${i}`, reason: `no example has ${branch.join(' + ')} at ${alt.path || '/'}` });
          return;
        }
        let happy = minimize(source, isValid, keep);
        for (const other of all.filter((m) => !branch.includes(m))) {
          const slimmer = without(happy, child(at, other));
          if (isValid(slimmer)) happy = slimmer;
        }
        if (!isValid(happy)) return;
        firstHappy ??= happy;
        happyDocs.push(happy);
        addCase(id, `happy-${i}`, { zh: `${type}：仅 ${branch.join(' + ')}`, en: `${type} with ${branch.join(' + ')} only` }, happy);
      });
      if (firstHappy === undefined) return;
      let none: unknown = firstHappy;
      for (const m of all) none = without(none, child(at, m));
      const problem = isValid(none) ? undefined : problemOf(none, at);
      if (problem) addCase(id, 'fail', { zh: `${type}：${names} 都没有`, en: `${type} with none of ${names}` }, none, problem);
      else uncovered.push({ requirement: `${id}#fail`, reason: 'removing every alternative leaves a valid document (the alternatives are conditional)' });
    });

    // Identifier checks: every string of the happy documents whose corruption the standard reports with a code of its own.
    const identifiers = new Set<string>();
    for (const doc of happyDocs) {
      for (const leaf of stringLeaves(doc)) {
        if (leaf.path === '/type') continue;
        for (const corrupt of corruptions(leaf.value)) {
          const broken = withValue(doc, leaf.path, corrupt);
          const problem = input.validate(broken).find((p) => p.path === leaf.path && !p.code.startsWith('SCHEMA_') && !p.code.startsWith('RULE_'));
          if (!problem) continue;
          const id = `${prefix}/identifier${generalPath(leaf.path)}/${problem.code}`;
          if (identifiers.has(id)) break;
          identifiers.add(id);
          requirement(id, 'identifier', { zh: `标识符校验 ${problem.code}（${generalPath(leaf.path)}）`, en: `Identifier check ${problem.code} at ${generalPath(leaf.path)}` });
          addCase(id, 'happy', { zh: `${type}：${leaf.path} 为有效标识 ${leaf.value}`, en: `${type} with the valid identifier ${leaf.value} at ${leaf.path}` }, doc);
          addCase(id, 'fail', { zh: `${type}：${leaf.path} 校验不通过 ${corrupt}`, en: `${type} with ${corrupt} at ${leaf.path}, failing its check` }, broken, problem);
          break;
        }
      }
    }

    // Cross-field rules named by the schema, each from its hand-written case builder.
    for (const name of facts.rules) {
      const rule = input.rules[name];
      const id = `${prefix}/rule/${name}`;
      requirement(id, 'rule', { zh: `跨字段规则 ${name}`, en: `Cross-field rule ${name}` });
      const builder = RULE_CASES[name];
      const built = builder === undefined ? undefined : [...happyDocs, ...seeds].map((d) => (isJsonObject(d) ? builder(d) : undefined))
        .find((c) => c !== undefined && isValid(c.happy) && input.validate(c.fail).some((p) => p.code === rule?.code));
      if (!built || !rule) {
        uncovered.push({ requirement: id, reason: builder ? 'no example suits the rule' : 'no hand-written case for this rule' });
        continue;
      }
      const problem = input.validate(built.fail).find((p) => p.code === rule.code) as Problem;
      addCase(id, 'happy', { zh: `${type}：满足规则 ${name}`, en: `${type} keeping rule ${name}` }, built.happy);
      addCase(id, 'fail', { zh: `${type}：违反规则 ${name}`, en: `${type} breaking rule ${name}` }, built.fail, problem);
    }
  }

  // The standard's own examples, as labelled; an invalid one is expected to be refused with the first problem its sidecar names.
  for (const ex of input.seeds.valid) {
    const id = `${standard}/example/${ex.name}`;
    requirement(id, 'example', { zh: `标准示例 ${ex.name} 被接受`, en: `The standard's example ${ex.name} is accepted` });
    if (isValid(ex.document)) addCase(id, 'happy', { zh: `有效示例 ${ex.name}`, en: `Valid example ${ex.name}` }, ex.document);
    else uncovered.push({ requirement: id, reason: 'valid for the subject alone, but not for the profile its sy:category names: left out so that every case is unambiguous' });
  }
  for (const ex of input.seeds.invalid) {
    const id = `${standard}/example/${ex.name}`;
    requirement(id, 'example', { zh: `标准示例 ${ex.name} 被拒绝`, en: `The standard's example ${ex.name} is refused` });
    const expected = ex.expected[0];
    const problems = input.validate(ex.document);
    const problem = expected ? problems.find((p) => p.code === expected.code && (expected.path === undefined || p.path === expected.path)) : problems[0];
    if (problem) addCase(id, 'fail', { zh: `无效示例 ${ex.name}`, en: `Invalid example ${ex.name}` }, ex.document, problem);
    else uncovered.push({ requirement: id, reason: 'the example is not refused as its sidecar says' });
  }
  return { requirements, cases, uncovered };
}
