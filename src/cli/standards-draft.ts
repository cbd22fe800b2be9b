/** `suyuan standards draft <subject> <version>`: start a new version from the latest one. */
import { openCatalog } from './context.ts';
import { Command } from 'commander';
import { startDraft } from '../standards/draft.ts';
import { shown } from './output.ts';

export function standardsDraftCommand(): Command {
  return new Command('draft')
    .description('copy the latest version of a subject (schema and examples) into a new draft version folder')
    .argument('<subject>')
    .argument('<version>', 'the new version, above every existing one')
    .action((subject: string, version: string) => {
      const dir = startDraft(openCatalog(), subject, version);
      process.stdout.write(`${shown(dir)}: draft ${subject}@${version} started; edit schema.json and the examples, then lint\n`);
    });
}
