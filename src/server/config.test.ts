import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from './config.js';

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
