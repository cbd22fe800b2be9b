/** `suyuan events …`: tools on EPCIS events. */
import { Command } from 'commander';
import { eventsHashCommand } from './events-hash.ts';

export function eventsCommand(): Command {
  return new Command('events').description('tools on EPCIS 2.0 events').addCommand(eventsHashCommand());
}
