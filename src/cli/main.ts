import { Command } from 'commander';
import { startServer } from '../server/start-server.js';
import { VERSION } from '../server/config.js';

const program = new Command('voronka').version(VERSION).description('Voronka CRM');

program.command('start').description('run the server (migrates and sets up the first workspace)').action(startServer);

await program.parseAsync(process.argv);
