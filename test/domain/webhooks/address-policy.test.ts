import { isPublicAddress, refusedAddressReason } from '../../../src/domain/webhooks/address-policy';

/**
 * A webhook may reach only public unicast addresses: every address below is refused with the
 * phrase an error message will carry, in both IPv4 and IPv6 spellings, including IPv6 forms
 * that smuggle an IPv4 address in (mapped, translated, compatible, NAT64, 6to4).
 */
describe('refused IPv4 addresses', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['10.0.0.1', 'a private address'],
    ['10.255.255.255', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.20', 'a private address'],
    ['169.254.169.254', 'the cloud metadata address'],
    ['100.100.100.200', 'the cloud metadata address'],
    ['169.254.0.1', 'a link-local address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['100.127.255.255', 'a shared (carrier-grade NAT) address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.0.8', 'a reserved address'],
    ['192.0.2.1', 'a documentation address'],
    ['198.51.100.7', 'a documentation address'],
    ['203.0.113.9', 'a documentation address'],
    ['198.18.0.1', 'a benchmarking address'],
  ])('%s is %s', (ip, reason) => {
    expect(refusedAddressReason(ip)).toBe(reason);
    expect(isPublicAddress(ip)).toBe(false);
  });
});

describe('refused IPv6 addresses', () => {
  it.each([
    ['::1', 'a loopback address'],
    ['0:0:0:0:0:0:0:1', 'a loopback address'],
    ['::', 'the unspecified address'],
    ['fd00:ec2::254', 'the cloud metadata address'],
    ['fd12:3456::1', 'a private address'],
    ['fc00::1', 'a private address'],
    ['fe80::1', 'a link-local address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['fec0::1', 'a private address'],
    ['ff02::1', 'a multicast address'],
    ['2001:db8::1', 'a documentation address'],
    ['3fff::1', 'a documentation address'],
    ['2001:2::1', 'a benchmarking address'],
    ['2001:0:4136:e378::1', 'a tunnel (Teredo) address'],
    ['100::1', 'a reserved address'],
    ['64:ff9b:1::a00:1', 'a private address'],
    ['4000::1', 'a reserved address'],
    ['[::1]', 'a loopback address'],
  ])('%s is %s', (ip, reason) => {
    expect(refusedAddressReason(ip)).toBe(reason);
    expect(isPublicAddress(ip)).toBe(false);
  });
});

describe('IPv6 addresses carrying an IPv4 address are judged by it', () => {
  it.each([
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::FFFF:10.1.2.3', 'a private address'],
    ['::ffff:169.254.169.254', 'the cloud metadata address'],
    ['::ffff:0:192.168.0.1', 'a private address'],
    ['64:ff9b::10.0.0.1', 'a private address'],
    ['64:ff9b::a9fe:a9fe', 'the cloud metadata address'],
    ['::127.0.0.1', 'a loopback address'],
    ['2002:c0a8:0101::1', 'a private address'],
    ['2002:7f00:1::', 'a loopback address'],
  ])('%s is %s', (ip, reason) => {
    expect(refusedAddressReason(ip)).toBe(reason);
  });

  it.each(['::ffff:8.8.8.8', '64:ff9b::1.1.1.1', '2002:0808:0808::1'])('%s carries a public address and is allowed', (ip) => {
    expect(refusedAddressReason(ip)).toBeUndefined();
  });
});

describe('public addresses', () => {
  it.each([
    '8.8.8.8', '1.1.1.1', '93.184.216.34', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1',
    '169.253.255.255', '192.0.1.1', '198.20.0.1', '223.255.255.255', '11.0.0.1',
    '2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '2001:4860:4860::8888',
  ])('%s is public', (ip) => {
    expect(refusedAddressReason(ip)).toBeUndefined();
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe('text that is not an IP address', () => {
  it.each(['', 'localhost', '256.1.1.1', '1.2.3', '::g', 'example.com'])('%j is refused: it is no address', (text) => {
    expect(refusedAddressReason(text)).toBe('not an IP address');
    expect(isPublicAddress(text)).toBe(false);
  });
});
