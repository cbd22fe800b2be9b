/**
 * Every example of every subject version in `standards/`: valid ones validate, invalid ones fail with
 * the problems their `.expected.json` names. Adding an example file adds a test here.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStandards, REPO_ROOT } from '../src/standards/index.ts';
import { MIN_EXAMPLES, lintStandards } from '../src/standards/lint.ts';
import { missingExpected, readExamples } from '../src/standards/examples.ts';

const standards = await loadStandards();
const versions = standards.catalog.all().filter((v) => v.sourceDir !== undefined);

describe('the standard', () => {
  it('has every subject the design names, each with a version', () => {
    const subjects = standards.catalog.subjects();
    for (const s of ['trace.event', 'trace.document', 'trace.party', 'trace.product', 'trace.location', 'notice.recall', 'report.inspection', 'report.complaint', 'report.rare-earth-monthly']) {
      expect(subjects).toContain(s);
    }
  });

  it('lints clean: titles, classifications, ids, examples', () => {
    expect(lintStandards(standards).map((f) => `${f.subject}@${f.version} ${f.code} ${f.where} ${f.message}`)).toEqual([]);
  });
});

describe.each(versions.map((v) => [`${v.subject}@${v.version}`, v] as const))('%s examples', (_name, v) => {
  const examples = readExamples(v.sourceDir ?? '');
  it(`has at least ${MIN_EXAMPLES} valid and ${MIN_EXAMPLES} invalid examples`, () => {
    expect(examples.valid.length).toBeGreaterThanOrEqual(MIN_EXAMPLES);
    expect(examples.invalid.length).toBeGreaterThanOrEqual(MIN_EXAMPLES);
  });
  for (const ex of examples.valid) {
    it(`valid: ${relative(REPO_ROOT, ex.file)}`, () => {
      expect(standards.validate(v.subject, v.version, ex.document).problems).toEqual([]);
    });
  }
  for (const ex of examples.invalid) {
    it(`invalid: ${relative(REPO_ROOT, ex.file)}`, () => {
      const result = standards.validate(v.subject, v.version, ex.document);
      expect(result.valid).toBe(false);
      expect(ex.expected?.length ?? 0).toBeGreaterThan(0);
      expect(missingExpected(ex, result.problems)).toEqual([]);
    });
  }
});
