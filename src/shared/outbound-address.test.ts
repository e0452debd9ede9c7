import { describe, expect, it } from 'vitest';
import { isPrivateAddress, urlHostProblem } from './outbound-address.js';

describe('addresses we do not call out to', () => {
  it('refuses private, loopback, link-local (metadata), CGNAT, multicast and reserved addresses, v4 and v6', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '77.88.8.8', '172.32.0.1', '100.128.0.1', '2a02:6b8::feed:0ff', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
    expect(isPrivateAddress('not an address')).toBe(false);
  });

  it('tells what a URL names without resolving it: literal addresses in any spelling, localhost', () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://127.1/', 'http://2130706433/', 'http://0x7f.0.0.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'https://169.254.169.254/latest/meta-data', 'http://localhost:3000/', 'http://LOCALHOST./', 'http://api.localhost/']) {
      expect(urlHostProblem(url, false), url).not.toBeNull();
      expect(urlHostProblem(url, true), url).toBeNull();
    }
    for (const url of ['https://example.com/hook', 'https://8.8.8.8/x', 'http://[2a02:6b8::feed:0ff]/']) expect(urlHostProblem(url, false), url).toBeNull();
  });
});
