import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a webhook may reach: only public unicast ones. Anything else would let a
 * tenant's token make Roster call into its own network (SSRF): the loopback interface, private
 * and link-local networks, the cloud metadata services. WEBHOOK_ALLOW_PRIVATE lifts this (the
 * caller decides; this file only classifies).
 */

const METADATA = 'the cloud metadata address';
const PRIVATE = 'a private address';
const RESERVED = 'a reserved address';
const DOCUMENTATION = 'a documentation address';

interface Range {
  readonly base: bigint;
  readonly prefix: number;
  readonly reason: string;
}

/** First match wins: the narrow ranges come before the wide ones that contain them. */
const V4_REFUSED: readonly (readonly [string, string])[] = [
  ['169.254.169.254/32', METADATA], // AWS, GCP, Azure, OpenStack
  ['100.100.100.200/32', METADATA], // Alibaba Cloud
  ['255.255.255.255/32', 'the broadcast address'],
  ['0.0.0.0/8', 'an unspecified address'],
  ['10.0.0.0/8', PRIVATE],
  ['100.64.0.0/10', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['172.16.0.0/12', PRIVATE],
  ['192.0.0.0/24', RESERVED],
  ['192.0.2.0/24', DOCUMENTATION],
  ['192.88.99.0/24', RESERVED],
  ['192.168.0.0/16', PRIVATE],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', DOCUMENTATION],
  ['203.0.113.0/24', DOCUMENTATION],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', RESERVED],
];

const V6_REFUSED: readonly (readonly [string, string])[] = [
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  ['fd00:ec2::254/128', METADATA], // AWS over IPv6
  ['64:ff9b:1::/48', PRIVATE], // local-use NAT64 (RFC 8215)
  ['100::/64', RESERVED], // discard-only
  ['2001::/32', 'a tunnel (Teredo) address'],
  ['2001:2::/48', 'a benchmarking address'],
  ['2001:db8::/32', DOCUMENTATION],
  ['3fff::/20', DOCUMENTATION],
  ['fc00::/7', PRIVATE], // unique local
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', PRIVATE], // site-local (deprecated)
  ['ff00::/8', 'a multicast address'],
];

/** IPv6 forms that carry an IPv4 address in their last 32 bits: refused when that address is. */
const V6_EMBEDDING_V4: readonly string[] = [
  '::ffff:0:0/96', // IPv4-mapped
  '::ffff:0:0:0/96', // IPv4-translated (SIIT)
  '64:ff9b::/96', // NAT64 well-known prefix
  '::/96', // IPv4-compatible (deprecated); :: and ::1 are matched before
];

/** 6to4 (2002::/16) carries its IPv4 address in bits 16–47. */
const SIX_TO_FOUR = '2002::/16';
const GLOBAL_UNICAST_V6 = '2000::/3';

/** Why Roster refuses to send a webhook to this address, as a short phrase ("a loopback address"); undefined for a public one. */
export function refusedAddressReason(ip: string): string | undefined {
  const address = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(address)) return v4Reason(v4Value(address));
  if (!isIPv6(address)) return 'not an IP address';
  const value = v6Value(address);
  const special = V6_SPECIAL.find((r) => r.prefix === 128 && within(value, r, 128));
  if (special) return special.reason;
  if (V6_EMBEDDING.some((r) => within(value, r, 128))) return v4Reason(value & 0xffff_ffffn);
  if (within(value, V6_SIX_TO_FOUR, 128)) return v4Reason((value >> 80n) & 0xffff_ffffn);
  const range = V6_SPECIAL.find((r) => within(value, r, 128));
  if (range) return range.reason;
  return within(value, V6_GLOBAL, 128) ? undefined : RESERVED;
}

export const isPublicAddress = (ip: string): boolean => refusedAddressReason(ip) === undefined;

const v4Reason = (value: bigint): string | undefined => V4_SPECIAL.find((r) => within(value, r, 32))?.reason;

const within = (value: bigint, range: Range, width: number): boolean => {
  const shift = BigInt(width - range.prefix);
  return value >> shift === range.base >> shift;
};

const v4Value = (text: string): bigint => text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);

/** A valid IPv6 text (checked by isIPv6) as a 128-bit number: `::` expanded, a dotted tail read as two groups. */
function v6Value(text: string): bigint {
  const groups = (part: string): number[] =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? dottedGroups(g) : [parseInt(g, 16)]));
  const [head, tail] = text.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

const dottedGroups = (dotted: string): number[] => {
  const value = Number(v4Value(dotted));
  return [Math.floor(value / 0x10000), value % 0x10000];
};

const range = (cidr: string, reason: string, width: number): Range => {
  const [address, prefix] = cidr.split('/');
  return { base: width === 32 ? v4Value(address) : v6Value(address), prefix: Number(prefix), reason };
};

const V4_SPECIAL = V4_REFUSED.map(([cidr, reason]) => range(cidr, reason, 32));
const V6_SPECIAL = V6_REFUSED.map(([cidr, reason]) => range(cidr, reason, 128));
const V6_EMBEDDING = V6_EMBEDDING_V4.map((cidr) => range(cidr, '', 128));
const V6_SIX_TO_FOUR = range(SIX_TO_FOUR, '', 128);
const V6_GLOBAL = range(GLOBAL_UNICAST_V6, '', 128);
