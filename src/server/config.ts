import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const VERSION: string = (require('../../package.json') as { version: string }).version;

export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  logLevel: string;
  adminEmail?: string;
  adminPassword?: string;
  /** VORONKA_LOCALE as given: the first workspace's language (ru, en), read by the first start only */
  locale?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || `sqlite:${env.VORONKA_DATA_DIR ?? './data'}/voronka.db`,
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    logLevel: env.LOG_LEVEL ?? 'info',
    adminEmail: env.VORONKA_ADMIN_EMAIL,
    adminPassword: env.VORONKA_ADMIN_PASSWORD,
    locale: env.VORONKA_LOCALE,
  };
}

/** Database URLs may carry a password; logs show them without it. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
