// Differential test of the mapping compiler on the official JSONata test suite: every case it compiles must give
// the suite's expected result or error code. Cases it refuses run on the interpreter in production; they are counted.
import jsonata from 'jsonata';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSuite, runCase, suitePresent, type CaseOutcome, type SuiteCase } from './helpers/jsonata-suite.ts';

const present = suitePresent();
const cases = present ? loadSuite() : [];
const groups = [...new Set(cases.map((c) => c.group))];
const tally = { native: 0, interpreted: 0, parseErrors: 0 };
const nativeGroups = new Set<string>();
const reasons = new Map<string, number>();

describe.skipIf(!present)('the compiler on the JSONata test suite', () => {
  it('has the suite: about 1,600 cases in 102 groups', () => {
    expect(groups.length).toBe(102);
    expect(cases.length).toBeGreaterThan(1500);
  });

  for (const group of groups) {
    it(`group ${group}: every case it compiles gives the expected result or error code`, () => {
      const failures: string[] = [];
      let native = 0;
      for (const c of cases.filter((x) => x.group === group)) {
        const outcome: CaseOutcome = runCase(c);
        if (outcome.status === 'parse-error') {
          tally.parseErrors++;
          expectParseError(c);
        } else if (outcome.status === 'interpreted') {
          tally.interpreted++;
          const reason = outcome.reason.replace(/ \(at \d+\)$/, '');
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        } else {
          tally.native++;
          native++;
          if (outcome.status === 'failed') failures.push(`${c.name} ${c.expr}: ${outcome.detail}`);
        }
      }
      if (native > 0) nativeGroups.add(group);
      expect(failures).toEqual([]);
    });
  }

  afterAll(() => {
    const total = tally.native + tally.interpreted;
    console.log(`\nJSONata test suite: ${tally.native} of ${total} cases that parse compile natively (${(100 * tally.native / total).toFixed(1)}%), `
      + `in ${nativeGroups.size} of ${groups.length} groups; ${tally.interpreted} run on the interpreter; ${tally.parseErrors} are syntax errors (one parser for both).`);
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${reason}`);
  });
});

/** A case that does not parse: both engines share jsonata's parser, so its code must be the expected one. */
function expectParseError(c: SuiteCase): void {
  let code: unknown;
  try {
    jsonata(c.expr);
  } catch (error) {
    code = (error as { code?: unknown }).code;
  }
  expect({ case: `${c.group}/${c.name}`, code }).toEqual({ case: `${c.group}/${c.name}`, code: 'code' in c.expect ? c.expect.code : 'a result' });
}
