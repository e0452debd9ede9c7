import { Command } from 'commander';
import { startServer } from '../server/start-server.js';
import { VERSION } from '../server/config.js';
import { migrateCommand } from './commands/migrate.js';
import { createWorkspaceCommand } from './commands/create-workspace.js';
import { doctorCommand } from './commands/doctor.js';

// Every command reads DATABASE_URL (default: SQLite file ./data/voronka.db), like the server.
const program = new Command('voronka').version(VERSION).description('Voronka CRM');

program.command('start').description('run the server (migrates and sets up the first workspace)').action(startServer);
program.command('migrate').description('apply database migrations').action(migrateCommand);
program
  .command('create-workspace')
  .description('create a workspace with its administrator, default pipeline, roles and reference lists')
  .requiredOption('--name <name>', 'company name')
  .requiredOption('--admin-email <email>', "administrator's e-mail")
  .option('--admin-name <name>', "administrator's name", 'Администратор')
  .option('--admin-password <password>', 'password (generated and printed if omitted)')
  .option('--mode <mode>', 'with_leads | without_leads', 'with_leads')
  .action(createWorkspaceCommand);
program.command('doctor').description('print version, database, migrations and record counts').action(doctorCommand);

await program.parseAsync(process.argv);
