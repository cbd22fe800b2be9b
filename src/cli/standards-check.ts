/** `suyuan standards check <subject>`: the draft against the released versions under a compatibility level. */
import { openStandards } from './context.ts';
import { Command, Option } from 'commander';
import { SuyuanError } from '../errors.ts';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../standards/compat/index.ts';
import { checkAgainstReleased } from '../standards/publish.ts';
import { printJson } from './output.ts';

export function standardsCheckCommand(): Command {
  return new Command('check')
    .description('check a subject\'s draft against its released versions (Confluent Schema Registry semantics)')
    .argument('<subject>')
    .addOption(new Option('--level <level>', 'compatibility level (default: the draft\'s x-compatibility, else BACKWARD)').choices(COMPATIBILITY_LEVELS))
    .option('--json', 'machine-readable output')
    .action(async (subject: string, options: { level?: CompatibilityLevel; json?: boolean }) => {
      const standards = await openStandards();
      const draft = standards.catalog.draft(subject);
      if (!draft) throw new SuyuanError('VERSION_NOT_FOUND', `${subject} has no draft: start one with suyuan standards draft`);
      const verdict = checkAgainstReleased(standards, draft, options.level);
      if (options.json) printJson({ subject, version: draft.version, ...verdict });
      else {
        const against = verdict.against.length > 0 ? verdict.against.join(', ') : 'no released version';
        process.stdout.write(`${subject}@${draft.version} against ${against} at ${verdict.level}: ${verdict.compatible ? 'compatible' : 'INCOMPATIBLE'}\n`);
        for (const m of verdict.messages) process.stdout.write(`  ${m}\n`);
      }
      process.exitCode = verdict.compatible ? 0 : 1;
    });
}
