/** `suyuan standards publish <subject>… | --all`: release drafts into `registry/`, append-only. */
import { openStandards } from './context.ts';
import { Command, Option } from 'commander';
import { SuyuanError } from '../errors.ts';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../standards/compat/index.ts';
import { publishDraft, publishOrder } from '../standards/publish.ts';

export function standardsPublishCommand(): Command {
  return new Command('publish')
    .description('check and release subject drafts: writes registry/<subject>/<version>.schema.json and its sha256 in registry/index.json')
    .argument('[subjects...]', 'subjects whose drafts to publish')
    .option('--all', 'publish every subject that has a draft, referenced subjects first')
    .addOption(new Option('--level <level>', 'override the compatibility level').choices(COMPATIBILITY_LEVELS))
    .action(async (subjects: string[], options: { all?: boolean; level?: CompatibilityLevel }) => {
      let standards = await openStandards();
      const chosen = options.all ? standards.catalog.subjects().filter((s) => standards.catalog.draft(s)) : subjects;
      if (chosen.length === 0) throw new SuyuanError('BAD_REQUEST', options.all ? 'no subject has a draft' : 'name the subjects to publish, or --all');
      for (const subject of publishOrder(standards, chosen)) {
        const { entry, compatibility } = publishDraft(standards, subject, options.level ? { level: options.level } : {});
        process.stdout.write(`published ${entry.subject}@${entry.version} (${compatibility.level}) sha256 ${entry.sha256}\n`);
        standards = await openStandards();
      }
    });
}
