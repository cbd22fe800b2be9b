/** `suyuan mapping run <mapping> <input-file>`: a department message through a mapping, its output and its validation. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { SuyuanError } from '../errors.ts';
import { formatNamed } from '../formats/registry.ts';
import { MappingEngine, loadMapping } from '../mapping/index.ts';
import { MemoryEventSink } from '../pipeline/events.ts';
import { MemoryProvenance } from '../pipeline/provenance.ts';
import { runMessage } from '../pipeline/run.ts';
import { parseSubjectRef } from '../standards/index.ts';
import { openStandards, repositoryRoot } from './context.ts';
import { formatProblem, printJson, shown } from './output.ts';

interface RunOptions {
  format: string;
  encoding?: string;
  recordPath?: string;
  standard?: string;
  now?: string;
  json?: boolean;
}

export function mappingRunCommand(): Command {
  return new Command('run')
    .description('run a department message through a mapping: print each mapped event and its validation against the standard')
    .argument('<mapping>', 'mapping id (a folder under mappings/)')
    .argument('<input-file>', 'the department message')
    .option('--format <format>', 'json, csv, xml, soap or epcis', 'json')
    .option('--encoding <encoding>', 'declared encoding (UTF-8, GBK, GB18030); a BOM or XML prolog wins')
    .option('--record-path <path>', 'where the records are (JSON Pointer for JSON, element path for XML and SOAP)')
    .option('--standard <subject@version>', 'what the events must conform to (default: the mapping\'s "produces")')
    .option('--now <time>', 'the time the mapping sees as $now(), ISO 8601 (default: now)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, file: string, options: RunOptions) => {
      const root = repositoryRoot();
      const mapping = loadMapping(id, root);
      const { subject, version } = parseSubjectRef(options.standard ?? mapping.manifest.produces);
      const now = options.now === undefined ? new Date() : new Date(options.now);
      if (Number.isNaN(now.getTime())) throw new SuyuanError('BAD_REQUEST', `--now "${options.now ?? ''}" is not a time`);
      const outcome = await runMessage(new Uint8Array(readFileSync(file)), {
        feed: `cli:${id}`,
        ...(options.encoding ? { encoding: options.encoding } : {}),
        format: formatNamed(options.format),
        ...(options.recordPath ? { formatOptions: { recordPath: options.recordPath } } : {}),
        mapping,
        standard: { subject, version },
      }, { standards: await openStandards(), evaluator: new MappingEngine(), provenance: new MemoryProvenance(), events: new MemoryEventSink(), now: () => now });
      process.exitCode = outcome.status === 'accepted' ? 0 : 1;
      if (options.json) return printJson(outcome);
      if (outcome.error) {
        process.stdout.write(`${shown(file)}: rejected, ${outcome.error.code}: ${outcome.error.message} ${JSON.stringify(outcome.error.detail)}\n`);
        return;
      }
      for (const r of outcome.records) {
        process.stdout.write(`# record ${r.index + 1} (${r.position.path}${r.position.line ? `, line ${r.position.line}` : ''}): ${r.status}\n`);
        for (const e of r.events) process.stdout.write(`${JSON.stringify(e.event, null, 2)}\n${e.hash}\n`);
        if (r.error && r.problems.length === 0) process.stdout.write(`  ${r.error.code}  ${r.error.message}\n`);
        for (const p of r.problems) process.stdout.write(`${formatProblem(p)}${p.source ? `  (from ${p.source})` : ''}\n`);
      }
      const valid = outcome.records.filter((r) => r.status === 'stored' || r.status === 'duplicate').length;
      process.stdout.write(`${valid} of ${outcome.records.length} record(s) valid against ${subject}@${version}\n`);
    });
}
