/** `suyuan standards …`: the tools a standards body uses to lint, diff, check, publish and document. */
import { Command } from 'commander';
import { standardsCheckCommand } from './standards-check.ts';
import { standardsDiffCommand } from './standards-diff.ts';
import { standardsDocsCommand } from './standards-docs.ts';
import { standardsPublishCommand } from './standards-publish.ts';
import { standardsDraftCommand } from './standards-draft.ts';
import { standardsLintCommand } from './standards-lint.ts';
import { standardsTypesCommand } from './standards-types.ts';

export function standardsCommand(): Command {
  return new Command('standards')
    .description('lint, diff, check, publish and document the exchange standard')
    .addCommand(standardsLintCommand())
    .addCommand(standardsDraftCommand())
    .addCommand(standardsDiffCommand())
    .addCommand(standardsCheckCommand())
    .addCommand(standardsPublishCommand())
    .addCommand(standardsTypesCommand())
    .addCommand(standardsDocsCommand());
}
