/** `suyuan validate <subject>[@<version>] <file>`: every problem of a document, exit status 1 when invalid. */
import { openStandards } from './context.ts';
import { Command } from 'commander';
import { parseSubjectRef, readJsonFile } from '../standards/index.ts';
import { formatProblem, printJson, shown } from './output.ts';

export function validateCommand(): Command {
  return new Command('validate')
    .description('validate a JSON document (or an EPCIS 2.0 JSON-LD document, for trace.event) against a subject version')
    .argument('<subject>', 'subject, optionally @version or @range (default: latest)')
    .argument('<file>', 'the document')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, file: string, options: { json?: boolean }) => {
      const { subject, version } = parseSubjectRef(ref);
      const standards = await openStandards();
      const result = standards.validateDocument(subject, version, readJsonFile(file));
      if (options.json) printJson({ file: shown(file), ...result });
      else if (result.valid) process.stdout.write(`${shown(file)}: valid against ${subject}@${result.version}\n`);
      else {
        process.stdout.write(`${shown(file)}: ${result.problems.length} problem(s) against ${subject}@${result.version}\n`);
        for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`);
      }
      process.exitCode = result.valid ? 0 : 1;
    });
}
