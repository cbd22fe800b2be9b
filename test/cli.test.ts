import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

describe('the suyuan binary', () => {
  it('lists every command in --help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['standards', 'validate', 'events', 'serve']) expect(top.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const standards = await runCli(['standards', '--help']);
    for (const command of ['lint', 'draft', 'diff', 'check', 'publish', 'types', 'docs']) expect(standards.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('validates a GS1 EPCIS 2.0 JSON-LD document event by event against trace.event', async () => {
    const ok = await runCli(['validate', 'trace.event', 'test/fixtures/gs1/Example_9.6.1-ObjectEvent.jsonld']);
    expect(ok.stdout).toMatch(/valid against trace\.event@1\.0\.0/);
    expect(ok.code).toBe(0);
  });

  it('answers an unknown subject or unreadable file with its code and exit status 2', async () => {
    const unknown = await runCli(['validate', 'no.such', 'package.json']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('SUBJECT_NOT_FOUND');
    const unreadable = await runCli(['validate', 'trace.event', 'README.md']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('DOCUMENT_UNREADABLE');
  });
});
