/** `suyuan standards types`: TypeScript declarations for every released version of the standard. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog } from './context.ts';
import { Command } from 'commander';
import { generateTypes } from '../standards/types.ts';
import { shown } from './output.ts';

export function standardsTypesCommand(): Command {
  return new Command('types')
    .description('generate TypeScript types for every released subject version (json-schema-to-typescript)')
    .argument('[subjects...]', 'subjects (default: all)')
    .option('--out <dir>', 'output folder', 'dist/types')
    .option('--drafts', 'include draft versions too')
    .action(async (subjects: string[], options: { out: string; drafts?: boolean }) => {
      const catalog = openCatalog();
      const names = subjects.length > 0 ? subjects : catalog.subjects();
      const versions = names.flatMap((s) => (options.drafts ? catalog.versions(s) : catalog.released(s)));
      for (const v of versions) {
        const file = join(options.out, v.subject, `${v.version}.d.ts`);
        mkdirSync(join(options.out, v.subject), { recursive: true });
        writeFileSync(file, await generateTypes(catalog, v));
        process.stdout.write(`${shown(file)}\n`);
      }
      process.stdout.write(`${versions.length} type file(s) written\n`);
    });
}
