import { describe, expect, it } from 'vitest';
import { jobsConfigFromEnv, parseTrustProxy } from './config.js';

describe('TRUST_PROXY', () => {
  it('is a hop count, a list of proxy addresses, or off', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.1, 10.0.1.0/24')).toBe('10.0.0.1,10.0.1.0/24');
  });
  it('refuses "true" (every hop trusted: the client picks its own address) and garbage', () => {
    expect(() => parseTrustProxy('true')).toThrow(/number of proxies/);
    expect(() => parseTrustProxy('loopback; rm')).toThrow(/TRUST_PROXY/);
  });
});

describe('VORONKA_JOBS settings', () => {
  it('default to a worker in every process, and are read in seconds and days', () => {
    expect(jobsConfigFromEnv({})).toEqual({ concurrency: 10, heartbeatTimeoutMs: 60_000, shutdownGraceMs: 10_000, keepMs: 7 * 86_400_000, keepFailedMs: 30 * 86_400_000 });
    expect(jobsConfigFromEnv({ VORONKA_JOBS_CONCURRENCY: '12', VORONKA_JOBS_HEARTBEAT_TIMEOUT: '30', VORONKA_JOBS_SHUTDOWN_GRACE: '0' })).toMatchObject({ concurrency: 12, heartbeatTimeoutMs: 30_000, shutdownGraceMs: 0 });
    expect(jobsConfigFromEnv({ VORONKA_JOBS: 'off' })).toBeNull();
  });
  it('refuse what is not a whole number in range, naming the variable', () => {
    expect(() => jobsConfigFromEnv({ VORONKA_JOBS: 'maybe' })).toThrow(/VORONKA_JOBS must be on or off/);
    expect(() => jobsConfigFromEnv({ VORONKA_JOBS_CONCURRENCY: '0' })).toThrow(/VORONKA_JOBS_CONCURRENCY must be a whole number of at least 1/);
    expect(() => jobsConfigFromEnv({ VORONKA_JOBS_HEARTBEAT_TIMEOUT: '5' })).toThrow(/VORONKA_JOBS_HEARTBEAT_TIMEOUT/);
    expect(() => jobsConfigFromEnv({ VORONKA_JOBS_KEEP_DAYS: '1.5' })).toThrow(/VORONKA_JOBS_KEEP_DAYS/);
  });
});
