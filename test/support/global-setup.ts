import { createPgTemplate, dropPgTemplate } from './test-db.js';

// With VORONKA_TEST_PG_URL set, migrate one template database; each test file then clones
// it (CREATE DATABASE … TEMPLATE), which is much faster than migrating per file.
export async function setup(): Promise<void> {
  if (process.env.VORONKA_TEST_PG_URL) process.env.VORONKA_TEST_PG_TEMPLATE = await createPgTemplate(process.env.VORONKA_TEST_PG_URL);
}

export async function teardown(): Promise<void> {
  if (process.env.VORONKA_TEST_PG_URL && process.env.VORONKA_TEST_PG_TEMPLATE) {
    await dropPgTemplate(process.env.VORONKA_TEST_PG_URL, process.env.VORONKA_TEST_PG_TEMPLATE);
  }
}
