/** `suyuan events hash <file>`: the CBV 2.0 event hash of every event of an EPCIS 2.0 document (JSON-LD or XML), one per line. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { SuyuanError } from '../errors.ts';
import { epcisXmlToJson } from '../formats/epcis/index.ts';
import { documentEvents, eventHash, preHashString, type EventHashOptions } from '../standards/event-hash.ts';

/**
 * The events of `input` with the options to hash each: an EPCIS 2.0 JSON-LD document (its
 * `@context` applies to all its events), a single event, or a JSON array of events (each read
 * with its own `@context`, if any). Throws `DOCUMENT_UNREADABLE` for anything else.
 */
export function eventsOf(input: unknown, file: string): ReadonlyArray<readonly [unknown, EventHashOptions]> {
  if (Array.isArray(input)) return input.map((event) => [event, {}] as const);
  if (typeof input === 'object' && input !== null) {
    if ('epcisBody' in input) {
      const context = (input as { '@context'?: unknown })['@context'];
      return documentEvents(input).map((event) => [event, { context }] as const);
    }
    if ('type' in input) return [[input, {}]];
  }
  throw new SuyuanError('DOCUMENT_UNREADABLE', `${file} is not an EPCIS 2.0 document, an event or an array of events`);
}

function readInput(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SuyuanError('DOCUMENT_UNREADABLE', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  // An EPCIS XML document is hashed through its JSON-LD form (its conversion errors are reported as they are).
  if (text.trimStart().startsWith('<')) return epcisXmlToJson(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new SuyuanError('DOCUMENT_UNREADABLE', `${file} is not JSON: ${(cause as Error).message}`, { cause });
  }
}

/** The `hash` command, to be added under `events`. */
export function eventsHashCommand(): Command {
  return new Command('hash')
    .description('print the CBV 2.0 event hash (ni:///sha-256;…?ver=CBV2.0) of every event, one per line')
    .argument('<file>', 'an EPCIS 2.0 document (JSON-LD or XML), a single event, or a JSON array of events')
    .option('--pre-hash', 'print the canonical pre-hash strings instead of the hashes')
    .action((file: string, options: { preHash?: boolean }) => {
      const lines = eventsOf(readInput(file), file).map(([event, hashOptions]) =>
        options.preHash ? preHashString(event, hashOptions) : eventHash(event, hashOptions),
      );
      process.stdout.write(lines.map((line) => `${line}\n`).join(''));
    });
}
