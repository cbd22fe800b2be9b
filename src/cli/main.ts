/** The `suyuan` command line: every command is a file in this folder, wired here explicitly. */
import { Command, CommanderError } from 'commander';
import { SuyuanError } from '../errors.ts';
import { adapterCommand } from './adapter.ts';
import { conformanceCommand } from './conformance.ts';
import { demoCommand } from './demo.ts';
import { eventsCommand } from './events.ts';
import { mappingCommand } from './mapping.ts';
import { replayCommand } from './replay.ts';
import { serveCommand } from './serve.ts';
import { standardsCommand } from './standards.ts';
import { validateCommand } from './validate.ts';
import { workerCommand } from './worker.ts';

/** Builds the program; each command registers itself on the given parent. */
export function buildProgram(): Command {
  const program = new Command('suyuan')
    .description('Suyuan (溯源): trace-exchange hub and schema registry')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.addCommand(standardsCommand());
  program.addCommand(validateCommand());
  program.addCommand(eventsCommand());
  program.addCommand(mappingCommand());
  program.addCommand(adapterCommand());
  program.addCommand(serveCommand());
  program.addCommand(replayCommand());
  program.addCommand(conformanceCommand());
  program.addCommand(demoCommand());
  program.addCommand(workerCommand());
  return program;
}

/** Runs the CLI; resolves to the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof SuyuanError) {
      process.stderr.write(`error ${error.code}: ${error.message}\n`);
      for (const p of error.problems) process.stderr.write(`  ${p.code} ${p.path || '/'} ${p.message}\n`);
      return 2;
    }
    throw error;
  }
}
