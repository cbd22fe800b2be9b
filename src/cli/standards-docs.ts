/** `suyuan standards docs`: the standard as one readable HTML document. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openCatalog } from './context.ts';
import { Command } from 'commander';
import { type SubjectVersion } from '../standards/index.ts';
import { renderDocument } from '../standards/docs.ts';
import { shown } from './output.ts';

export function standardsDocsCommand(): Command {
  return new Command('docs')
    .description('write the standard as an HTML document: a section per subject, a table of fields with Chinese and English titles')
    .argument('[subjects...]', 'subjects (default: all)')
    .option('--out <file>', 'output file', 'dist/standard.html')
    .option('--drafts', 'document each subject\'s draft instead of its latest released version')
    .action((subjects: string[], options: { out: string; drafts?: boolean }) => {
      const catalog = openCatalog();
      const names = subjects.length > 0 ? subjects : catalog.subjects();
      const versions = names
        .map((s) => (options.drafts ? catalog.draft(s) ?? catalog.get(s) : catalog.released(s).at(-1)))
        .filter((v): v is SubjectVersion => v !== undefined);
      mkdirSync(dirname(options.out), { recursive: true });
      writeFileSync(options.out, renderDocument(versions));
      process.stdout.write(`${shown(options.out)}: ${versions.length} subject(s)\n`);
    });
}
