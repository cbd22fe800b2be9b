/** `suyuan standards diff <subject> <a> <b>`: the changes between two versions, in words, with verdicts. */
import { openStandards } from './context.ts';
import { Command } from 'commander';
import { describeDifferences } from '../standards/compat/index.ts';
import { resolverFor } from '../standards/publish.ts';
import { printJson } from './output.ts';

export function standardsDiffCommand(): Command {
  return new Command('diff')
    .description('list the changes between two versions of a subject, with the compatibility verdict per direction')
    .argument('<subject>')
    .argument('<a>', 'the earlier version (or latest, or a range)')
    .argument('<b>', 'the later version (or the draft\'s version)')
    .option('--zh', 'in Chinese')
    .option('--json', 'machine-readable output')
    .action(async (subject: string, a: string, b: string, options: { zh?: boolean; json?: boolean }) => {
      const standards = await openStandards();
      const [from, to] = [standards.catalog.get(subject, a), standards.catalog.get(subject, b)];
      const description = describeDifferences(from.schema, to.schema, { resolve: resolverFor(standards.catalog) });
      if (options.json) printJson({ subject, from: from.version, to: to.version, ...description });
      else {
        process.stdout.write(`${subject} ${from.version} → ${to.version}\n`);
        for (const line of options.zh ? description.linesZh : description.lines) process.stdout.write(`${line}\n`);
      }
    });
}
