import type { Kysely, Transaction } from 'kysely';
import type { CompaniesTable, ContactsTable, Database } from '../../db/schema.js';
import type { Executor } from '../../server/context.js';

/** The tables as migration 003 leaves them (name_key added); src/db/schema.ts does not list it yet. */
export interface ContactsModuleDb extends Omit<Database, 'contacts' | 'companies'> {
  contacts: ContactsTable & { name_key: string };
  companies: CompaniesTable & { name_key: string };
}

export type ContactsExecutor = Kysely<ContactsModuleDb> | Transaction<ContactsModuleDb>;

export const contactsDb = (exec: Executor): ContactsExecutor => exec as unknown as ContactsExecutor;
