import { userInfo } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { configFromEnv, type VigilConfig } from '../config.js';
import type { Actor } from '../core/actor.js';
import { isVigilError } from '../core/errors.js';
import { serveCommand } from './commands/serve.js';
import { accessCommands } from './commands/access.js';
import { incidentCommand } from './commands/incident.js';
import { auditCommand } from './commands/audit.js';
import { feedbackCommand } from './commands/feedback.js';
import { simulateCommand } from './commands/simulate.js';
import { scheduleCommand } from './commands/schedule.js';
import { escalationCommand } from './commands/escalation.js';
import { silenceCommand } from './commands/silence.js';
import { maintenanceCommand } from './commands/maintenance.js';
import { inhibitCommand } from './commands/inhibit.js';
import { personCommand } from './commands/person.js';
import { channelCommand } from './commands/channel.js';
import { notificationCommand } from './commands/notification.js';
import { benchNabCommand } from './commands/bench-nab.js';
import { playbookCommand } from './commands/playbook.js';
import { approvalCommand, approverCommand } from './commands/approval.js';
import { benchDetectCommand, detectCommand } from './commands/detect.js';
import { addIncidentCommsCommands } from './commands/incident-comms.js';
import { statusCommand } from './commands/status.js';
import { watchCommand } from './commands/watch.js';

/** Where the CLI writes; injected so tests can run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliContext {
  readonly io: CliIo;
  /** The configuration from the environment overlaid with the global flags. */
  config(): VigilConfig;
  readonly actor: Actor;
  /** Makes the command end with this exit code without an error message (a failed check). */
  exitWith(code: number): void;
}

/**
 * Runs one `vigil` command line and returns its exit code: 0 on success, 1 with a one-line
 * reason on stderr on failure, 2 for a usage mistake.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('vigil')
    .description('Incident response for crypto operations')
    .version('0.1.0')
    .addOption(new Option('--data-dir <dir>', 'where the embedded SQLite database lives').env('VIGIL_DATA_DIR'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL; replaces the embedded SQLite database').env('VIGIL_DATABASE_URL'))
    .addOption(new Option('--playbook-dir <dir>', 'playbooks (YAML) that add to or replace the built-in ones').env('VIGIL_PLAYBOOK_DIR'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const user = safeUserName();
  let exitCode = 0;
  const context: CliContext = {
    io,
    exitWith: (code) => {
      exitCode = code;
    },
    actor: { kind: 'cli', id: user, name: user },
    config: () => {
      const globals = program.opts<{ dataDir?: string; databaseUrl?: string; playbookDir?: string }>();
      const base = configFromEnv();
      return {
        ...base,
        ...(globals.dataDir === undefined ? {} : { dataDir: globals.dataDir }),
        ...(globals.databaseUrl === undefined ? {} : { databaseUrl: globals.databaseUrl }),
        ...(globals.playbookDir === undefined ? {} : { playbookDir: globals.playbookDir }),
      };
    },
  };

  program.addCommand(serveCommand(context));
  for (const command of accessCommands(context)) program.addCommand(command);
  program.addCommand(addIncidentCommsCommands(incidentCommand(context), context));
  program.addCommand(auditCommand(context));
  program.addCommand(feedbackCommand(context));
  program.addCommand(simulateCommand(context));
  program.addCommand(scheduleCommand(context));
  program.addCommand(escalationCommand(context));
  program.addCommand(silenceCommand(context));
  program.addCommand(maintenanceCommand(context));
  program.addCommand(inhibitCommand(context));
  program.addCommand(personCommand(context));
  program.addCommand(channelCommand(context));
  program.addCommand(notificationCommand(context));
  program.addCommand(playbookCommand(context));
  program.addCommand(approverCommand(context));
  program.addCommand(approvalCommand(context));
  program.addCommand(benchNabCommand().addCommand(benchDetectCommand(context)));
  program.addCommand(detectCommand(context));
  program.addCommand(statusCommand(context));
  program.addCommand(watchCommand(context));
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end by "throwing" with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    io.err(`vigil: ${oneLine(error)}\n`);
    return 1;
  }
}

function oneLine(error: unknown): string {
  if (isVigilError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message.split('\n')[0] ?? 'failed';
  return String(error);
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
