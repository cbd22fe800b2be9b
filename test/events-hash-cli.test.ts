// `suyuan events hash <file>` through the real binary: documents, single events, arrays, unreadable input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { epcisJsonToXml } from '../src/formats/epcis/index.ts';
import { documentEventHashes, documentEvents } from '../src/standards/event-hash.ts';
import { runCli } from './helpers/cli.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'event-hash');
const dir = mkdtempSync(join(tmpdir(), 'suyuan-events-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string): string => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};
const expected = (name: string): string => readFileSync(join(FIXTURES, `${name}.hashes`), 'utf8');

describe('suyuan events hash', () => {
  it.each(['epcisDocWithVariousEventTypes', 'epcisQueryDocument', 'ObjectEvent_all_possible_fields'])(
    'prints one hash per event of %s, as the reference implementation computed them',
    async (name) => {
      const result = await runCli(['events', 'hash', join(FIXTURES, `${name}.jsonld`)]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(expected(name));
    },
  );

  it('hashes a single event and a JSON array of events, each read with its own @context', async () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'epcisQueryDocument.jsonld'), 'utf8')) as { '@context': unknown };
    const events = documentEvents(doc).map((e) => ({ '@context': doc['@context'], ...(e as object) }));
    const [first, second] = expected('epcisQueryDocument').trim().split('\n');
    const single = await runCli(['events', 'hash', write('event.json', JSON.stringify(events[1]))]);
    expect(single.stdout).toBe(`${second}\n`);
    const array = await runCli(['events', 'hash', write('events.json', JSON.stringify(events))]);
    expect(array.stdout).toBe(`${first}\n${second}\n`);
  });

  it.each(['epcisDocWithVariousEventTypes', 'epcisQueryDocument', 'ObjectEvent_all_possible_fields'])(
    'prints the same hashes for %s written as EPCIS XML (first non-space character <)',
    async (name) => {
      const doc = JSON.parse(readFileSync(join(FIXTURES, `${name}.jsonld`), 'utf8')) as object;
      const result = await runCli(['events', 'hash', write(`${name}.xml`, `\n  ${epcisJsonToXml(doc).replace(/^<\?xml[^>]*>\n/, '')}`)]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(expected(name));
    },
  );

  it('hashes GS1\'s published XML example as GS1\'s JSON-LD form of it hashes', async () => {
    const result = await runCli(['events', 'hash', join(import.meta.dirname, 'fixtures', 'gs1-xml', 'AssociationEventExamples.xml')]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    // Cases (a), (b), (d), (e), (g) of the XML are GS1's AssociationEvent-a/b/d/e/g.jsonld.
    const json = ['a', 'b', 'd', 'e', 'g'].flatMap((c) =>
      documentEventHashes(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'gs1', `AssociationEvent-${c}.jsonld`), 'utf8'))));
    expect([0, 1, 3, 4, 6].map((i) => lines[i])).toEqual(json);
  });

  it('prints the pre-hash strings with --pre-hash', async () => {
    const result = await runCli(['events', 'hash', '--pre-hash', join(FIXTURES, 'ReferenceEventHashAlgorithm2.jsonld')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^eventType=ObjectEventeventTime=2020-04-01T14:00:00.000Z.*sensorReporttype=https:\/\/ref.gs1.org\/voc\/Temperaturevalue=26sDev=0.1uom=CEL\n$/);
  });

  it.each([
    ['a missing file', 'DOCUMENT_UNREADABLE', join(dir, 'missing.jsonld')],
    ['a file that is not JSON', 'DOCUMENT_UNREADABLE', write('broken.jsonld', '{"epcisBody": ')],
    ['JSON that is not an EPCIS document or event', 'DOCUMENT_UNREADABLE', write('other.json', '"hello"')],
    ['an event the hash cannot read', 'EVENT_HASH_FAILED', write('bad-event.json', '{"type": "ObjectEvent", "eventTime": "noon"}')],
    ['XML with a DOCTYPE', 'XML_FORBIDDEN', write('doctype.xml', '<!DOCTYPE d><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"/>')],
    ['XML that is not EPCIS', 'EPCIS_INVALID', write('other.xml', '<Invoice/>')],
  ])('fails on %s with %s', async (_what, code, file) => {
    const result = await runCli(['events', 'hash', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`error ${code}:`);
  });
});
