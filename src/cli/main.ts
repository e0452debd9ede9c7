import { Command } from 'commander';
import { startServer } from '../server/start-server.js';
import { VERSION } from '../server/config.js';
import { migrateCommand } from './commands/migrate.js';
import { createWorkspaceCommand } from './commands/create-workspace.js';
import { doctorCommand } from './commands/doctor.js';
import { createUserCommand } from './commands/create-user.js';
import { resetPasswordCommand } from './commands/reset-password.js';
import { seedDemoCommand } from './commands/seed-demo.js';
import { purgeRecycleBinCommand } from './commands/purge-recycle-bin.js';
import { action } from './cli-errors.js';

// Every command reads DATABASE_URL (default: SQLite file ./data/voronka.db), like the server.
const program = new Command('voronka').version(VERSION).description('Voronka CRM');

program.command('start').description('run the server (migrates and sets up the first workspace)').action(startServer);
program.command('migrate').description('apply database migrations').action(action(migrateCommand));
program
  .command('create-workspace')
  .description('create a workspace with its administrator, default pipeline, roles and reference lists')
  .requiredOption('--name <name>', 'company name')
  .requiredOption('--admin-email <email>', "administrator's e-mail")
  .option('--admin-name <name>', "administrator's name (default: Администратор, or Administrator with --locale en)")
  .option('--admin-password <password>', 'password (generated and printed if omitted)')
  .option('--mode <mode>', 'with_leads | without_leads', 'with_leads')
  .option('--locale <locale>', 'ru | en: the language of the default pipeline, stages, roles, reference lists and the administrator', 'ru')
  .action(action(createWorkspaceCommand));
program
  .command('purge-recycle-bin')
  .description("delete for good what has stayed in the recycle bin longer than the workspace's recycleBinDays")
  .action(action(purgeRecycleBinCommand));
program.command('doctor').description('print version, database, migrations, record counts and job queue health').action(action(doctorCommand));
const collect = (value: string, previous: string[] = []) => [...previous, value];
program
  .command('create-user')
  .description("add a user to a workspace (acting as its administrator)")
  .requiredOption('--email <email>', 'e-mail (the log-in)')
  .requiredOption('--name <name>', 'full name')
  .option('--password <password>', 'password (generated and printed if omitted)')
  .option('--role <role>', 'manager | head_of_sales | admin | a role id; repeat for several (default: manager)', collect)
  .option('--department <department>', 'department id or name')
  .option('--workspace <id>', 'workspace id (default: the first one)')
  .action(action(createUserCommand));
program
  .command('reset-password')
  .description("set a new password for a user and end the user's sessions")
  .requiredOption('--email <email>', "the user's e-mail")
  .option('--password <password>', 'new password (generated and printed if omitted)')
  .action(action(resetPasswordCommand));
program
  .command('seed-demo')
  .description('fill a workspace with a demo furniture company: a year of leads, deals and activities')
  .option('--workspace <id>', 'workspace id (default: the first one)')
  .option('--deals <n>', 'number of deals; the client base grows with it up to 600 companies', '2000')
  .option('--seed <n>', 'random seed: the same seed builds the same data', '1')
  .option('--password <password>', 'password of the demo users (generated and printed if omitted)')
  .option('--force', 'seed again although the demo departments already exist')
  .action(action(seedDemoCommand));

await program.parseAsync(process.argv);
