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
  /** the job worker of this process (VORONKA_JOBS_*), or null when VORONKA_JOBS=off */
  jobs: JobsConfig | null;
}

export interface JobsConfig {
  concurrency: number;
  heartbeatTimeoutMs: number;
  shutdownGraceMs: number;
  keepMs: number;
  keepFailedMs: number;
}

/** A whole number from the environment, at least `min`; a clear error naming the variable otherwise. */
export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  return Number(raw);
}

/** VORONKA_JOBS (on | off) and the worker's settings; see the configuration table in README.md. */
export function jobsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): JobsConfig | null {
  const mode = (env.VORONKA_JOBS ?? 'on').trim().toLowerCase();
  if (mode !== 'on' && mode !== 'off') throw new Error(`VORONKA_JOBS must be on or off, not "${env.VORONKA_JOBS}"`);
  const days = 24 * 3600_000;
  const config = {
    concurrency: intFromEnv(env, 'VORONKA_JOBS_CONCURRENCY', 10),
    heartbeatTimeoutMs: intFromEnv(env, 'VORONKA_JOBS_HEARTBEAT_TIMEOUT', 60, 10) * 1000,
    shutdownGraceMs: intFromEnv(env, 'VORONKA_JOBS_SHUTDOWN_GRACE', 10, 0) * 1000,
    keepMs: intFromEnv(env, 'VORONKA_JOBS_KEEP_DAYS', 7) * days,
    keepFailedMs: intFromEnv(env, 'VORONKA_JOBS_KEEP_FAILED_DAYS', 30) * days,
  };
  return mode === 'off' ? null : config;
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
    jobs: jobsConfigFromEnv(env),
  };
}

/** Database URLs may carry a password; logs show them without it. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** What TRUST_PROXY may say: nothing (no proxy), how many proxies stand in front, or their addresses. */
export type TrustProxy = false | number | string;

/**
 * TRUST_PROXY: unset or `0` — no proxy, the client is the TCP peer; a number n — n proxies in
 * front, each appending to X-Forwarded-For, so the client is the n-th address from the right and
 * anything further left (what the client itself sent) is ignored; otherwise a comma-separated
 * list of the proxies' addresses or CIDR ranges. `true` is refused: trusting every hop would let
 * any client choose its own address.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(true|yes|on)$/i.test(v)) {
    throw new Error('TRUST_PROXY must be the number of proxies in front of the server (e.g. 1) or their addresses, not "true"');
  }
  if (!/^[0-9a-fA-F.:/,\s]+$/.test(v)) throw new Error(`TRUST_PROXY: "${v}" is neither a hop count nor a list of addresses`);
  return v.split(',').map((s) => s.trim()).filter(Boolean).join(',');
}

export const trustProxyFromEnv = (env: NodeJS.ProcessEnv = process.env) => parseTrustProxy(env.TRUST_PROXY);

/**
 * The option for Fastify. A hop count becomes a trust function: Fastify itself refuses a bare
 * number (it cannot check that the nearest peer really is a proxy), so with a count the server
 * must be reachable only through its proxies; a list of addresses is checked hop by hop.
 */
export function fastifyTrustProxy(tp: TrustProxy): false | string | ((address: string, hop: number) => boolean) {
  if (typeof tp === 'number') return tp === 0 ? false : (_address: string, hop: number) => hop < tp;
  return tp;
}
