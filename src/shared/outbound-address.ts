import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// Where the server may call out to on a user's say-so (the webhook robot): not into its own network.
// Private, loopback, link-local (the cloud metadata service, 169.254.169.254 / fd00:ec2::254),
// carrier-grade NAT, multicast and reserved ranges are refused unless the server is configured to
// allow them (VORONKA_WEBHOOK_ALLOW_PRIVATE=1, or `allowPrivateWebhooks` given to buildApp — our own
// tests post to 127.0.0.1). The check is made on the addresses a host name resolves to, in the
// connection's own look-up, so a name cannot resolve to a public address for the check and a
// private one for the call.

const blocked = new BlockList();
const V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local: the cloud metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 of IPv4 addresses
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local (also AWS's metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];
for (const [net, prefix] of V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6) blocked.addSubnet(net, prefix, 'ipv6');

/** Is this IP address (v4, v6, or IPv4-mapped v6) one we do not call out to? */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** the host without IPv6 brackets or a final dot (`localhost.` is localhost) */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');

/**
 * What can be told of a URL without resolving it: a literal private address or a `localhost` name.
 * null when nothing is wrong (a name is checked again when it is resolved, at the call).
 */
export function urlHostProblem(url: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // the schema says what is wrong with it
  }
  const host = hostOf(parsed).toLowerCase();
  if (isIP(host)) return isPrivateAddress(host) ? `${host} is a private, loopback or link-local address` : null;
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  return null;
}

/** The error a connection fails with when its host resolves to a refused address. */
export class BlockedAddressError extends Error {
  readonly code = 'EADDRBLOCKED';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private, loopback or link-local address`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request / net.connect that refuses a name resolving to a private address
 * (any of its addresses). With `allowPrivate` it is the plain look-up.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!allowPrivate) {
        const bad = addresses.find((a) => isPrivateAddress(a.address));
        if (bad) return callback(new BlockedAddressError(hostname, bad.address), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** The literal address of a URL's host, checked (connections to a literal address do not look up). */
export function literalAddressProblem(url: URL, allowPrivate: boolean): BlockedAddressError | null {
  const host = hostOf(url);
  return !allowPrivate && isIP(host) && isPrivateAddress(host) ? new BlockedAddressError(host, host) : null;
}
