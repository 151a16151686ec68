// Where CallSnare may send webhooks (SSRF). In live mode an endpoint URL must be https and
// every address its host resolves to must be public: not loopback, private, link-local (the
// cloud metadata service at 169.254.169.254), CGNAT, multicast, reserved, nor an IPv6 form of
// any of these. Checked when an endpoint is created or changed (a clear error) and again for
// the address each delivery actually connects to (webhook-http.ts), so a name that resolves to
// a public address at creation and to 127.0.0.1 later (DNS rebinding) is still refused.
// Sandbox mode allows http and any address, so a receiver on the developer's machine works.
import dns from 'node:dns';
import net from 'node:net';
import type { IntegrationMode } from '../config';

interface Range {
  address: string;
  prefix: number;
  why: string;
}

const IPV4_RANGES: readonly Range[] = [
  { address: '0.0.0.0', prefix: 8, why: '"this network" (0.0.0.0/8)' },
  { address: '10.0.0.0', prefix: 8, why: 'private (10.0.0.0/8)' },
  { address: '100.64.0.0', prefix: 10, why: 'carrier-grade NAT (100.64.0.0/10)' },
  { address: '127.0.0.0', prefix: 8, why: 'loopback (127.0.0.0/8)' },
  { address: '169.254.0.0', prefix: 16, why: 'link-local, incl. cloud metadata 169.254.169.254 (169.254.0.0/16)' },
  { address: '172.16.0.0', prefix: 12, why: 'private (172.16.0.0/12)' },
  { address: '192.0.0.0', prefix: 24, why: 'IETF protocol assignments (192.0.0.0/24)' },
  { address: '192.0.2.0', prefix: 24, why: 'documentation (192.0.2.0/24)' },
  { address: '192.88.99.0', prefix: 24, why: '6to4 relay anycast (192.88.99.0/24)' },
  { address: '192.168.0.0', prefix: 16, why: 'private (192.168.0.0/16)' },
  { address: '198.18.0.0', prefix: 15, why: 'benchmarking (198.18.0.0/15)' },
  { address: '198.51.100.0', prefix: 24, why: 'documentation (198.51.100.0/24)' },
  { address: '203.0.113.0', prefix: 24, why: 'documentation (203.0.113.0/24)' },
  { address: '224.0.0.0', prefix: 4, why: 'multicast (224.0.0.0/4)' },
  { address: '240.0.0.0', prefix: 4, why: 'reserved, incl. broadcast (240.0.0.0/4)' },
];

const IPV6_RANGES: readonly Range[] = [
  // Also ::1 (loopback), :: (unspecified) and the deprecated IPv4-compatible ::a.b.c.d.
  { address: '::', prefix: 96, why: 'loopback, unspecified or IPv4-compatible IPv6 (::/96)' },
  { address: '64:ff9b:1::', prefix: 48, why: 'local-use NAT64 (64:ff9b:1::/48)' },
  { address: '100::', prefix: 64, why: 'discard-only (100::/64)' },
  // Includes Teredo (2001::/32), which tunnels to an IPv4 address we cannot see.
  { address: '2001::', prefix: 23, why: 'IETF protocol assignments and Teredo (2001::/23)' },
  { address: '2001:db8::', prefix: 32, why: 'documentation (2001:db8::/32)' },
  { address: 'fc00::', prefix: 7, why: 'unique local (fc00::/7)' },
  { address: 'fe80::', prefix: 10, why: 'link-local (fe80::/10)' },
  { address: 'fec0::', prefix: 10, why: 'site-local (fec0::/10)' },
  { address: 'ff00::', prefix: 8, why: 'multicast (ff00::/8)' },
];

/** IPv6 forms that carry an IPv4 address: blocked when the IPv4 address they carry is. */
const EMBEDDINGS: readonly { name: string; v6For: (range: Range) => Range }[] = [
  { name: 'IPv4-mapped', v6For: (r) => ({ address: `::ffff:${r.address}`, prefix: 96 + r.prefix, why: r.why }) },
  { name: 'NAT64', v6For: (r) => ({ address: `64:ff9b::${r.address}`, prefix: 96 + r.prefix, why: r.why }) },
  { name: '6to4', v6For: (r) => ({ address: sixToFour(r.address), prefix: 16 + r.prefix, why: r.why }) },
];

function sixToFour(ipv4: string): string {
  const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  return `2002:${hex(a, b)}:${hex(c, d)}::`;
}

interface Rule {
  list: net.BlockList;
  why: string;
}

const RULES: readonly Rule[] = [
  ...IPV4_RANGES.map((range) => {
    const list = new net.BlockList();
    list.addSubnet(range.address, range.prefix, 'ipv4');
    for (const embedding of EMBEDDINGS) {
      const v6 = embedding.v6For(range);
      list.addSubnet(v6.address, v6.prefix, 'ipv6');
    }
    return { list, why: range.why };
  }),
  ...IPV6_RANGES.map((range) => {
    const list = new net.BlockList();
    list.addSubnet(range.address, range.prefix, 'ipv6');
    return { list, why: range.why };
  }),
];

/** Why CallSnare must not connect to `address` in live mode, or null when it is a public address. */
export function nonPublicAddressReason(address: string): string | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = net.isIP(bare);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const rule of RULES) if (rule.list.check(bare, type)) return rule.why;
  return null;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to (DNS). Injected in tests. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Why an endpoint URL is refused before any lookup (format, scheme), or null. */
export function endpointUrlProblem(raw: string, mode: IntegrationMode): string | null {
  if (raw.length > 2048) return 'the URL is longer than 2048 characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not an absolute URL (e.g. https://example.com/callsnare/webhooks)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `the scheme must be https (got ${url.protocol.replace(/:$/, '')})`;
  if (mode === 'live' && url.protocol !== 'https:') return 'the URL must use https on a live server';
  if (url.username || url.password) return 'the URL must not carry a user name or password';
  if (url.hash) return 'the URL must not have a #fragment';
  if (!url.hostname) return 'the URL has no host';
  return null;
}

/**
 * Why CallSnare may not deliver to this host in `mode`, or null when it may: in live mode
 * the host (an IP literal, or every address its name resolves to) must be public.
 */
export async function endpointHostProblem(hostname: string, mode: IntegrationMode, resolve: HostResolver = systemResolver): Promise<string | null> {
  if (mode !== 'live') return null;
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) {
    const why = nonPublicAddressReason(bare);
    return why ? `${bare} is not a public address: ${why}` : null;
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(bare);
  } catch {
    return `${bare} does not resolve (DNS)`;
  }
  if (addresses.length === 0) return `${bare} does not resolve (DNS)`;
  for (const { address } of addresses) {
    const why = nonPublicAddressReason(address);
    if (why) return `${bare} resolves to ${address}, which is not a public address: ${why}`;
  }
  return null;
}
