package io.paystream.messaging.webhook;

import java.util.List;

/**
 * What an IP address is, for the webhook guard: the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890 and later entries), plus the IPv6 forms that carry an IPv4 address. The
 * guard decides from the {@link Kind}; this class only classifies.
 *
 * <p>An address belongs to the first block of its family's table that contains it, so a narrow
 * block comes before the wider one around it. The last row of each table takes the rest: an IPv4
 * address is public unless listed; an IPv6 address is public only inside global unicast {@code
 * 2000::/3} (the only range IANA delegates), so unassigned space and rare forms such as the SIIT
 * {@code ::ffff:0:a.b.c.d} are refused without needing rows of their own.
 */
final class SpecialPurposeAddresses {

  /** How a webhook may treat the addresses of a block. */
  enum Kind {
    /** Reachable from the internet: allowed. */
    PUBLIC,
    /** This host: allowed only when configuration allows loopback (tests). */
    LOOPBACK,
    /** Our own networks and the cloud's (metadata at 169.254.169.254): only if allowed. */
    PRIVATE,
    /** Never a webhook receiver (unspecified, multicast, documentation...): always refused. */
    REFUSED,
    /** An IPv6 form that reaches an IPv4 address: judged by every IPv4 address it carries. */
    CARRIES_IPV4
  }

  /** The IPv4 addresses (4 bytes each) that an address of a carrying block reaches. */
  @FunctionalInterface
  interface Carried {
    List<byte[]> ipv4(byte[] ipv6);
  }

  /** One row of a table; {@code description} completes "the host resolves to ...". */
  record Block(Cidr cidr, Kind kind, String description, Carried carried) {}

  private static final List<Block> IPV4 =
      List.of(
          block("0.0.0.0/32", Kind.REFUSED, "the unspecified address"),
          block("0.0.0.0/8", Kind.REFUSED, "a \"this network\" address"),
          block("10.0.0.0/8", Kind.PRIVATE, "a private address"),
          block("100.64.0.0/10", Kind.PRIVATE, "a shared (carrier-grade NAT) address"),
          block("127.0.0.0/8", Kind.LOOPBACK, "a loopback address"),
          block("169.254.0.0/16", Kind.PRIVATE, "a link-local address"),
          block("172.16.0.0/12", Kind.PRIVATE, "a private address"),
          // Includes DS-Lite 192.0.0.0/29 and NAT64 discovery 192.0.0.170/31.
          block("192.0.0.0/24", Kind.REFUSED, "an IETF protocol assignment"),
          block("192.0.2.0/24", Kind.REFUSED, "a documentation address"),
          // 6to4 relay anycast, deprecated by RFC 7526: a relay into IPv6, not a receiver.
          block("192.88.99.0/24", Kind.REFUSED, "a 6to4 relay anycast address"),
          block("192.168.0.0/16", Kind.PRIVATE, "a private address"),
          block("198.18.0.0/15", Kind.REFUSED, "a benchmarking address"),
          block("198.51.100.0/24", Kind.REFUSED, "a documentation address"),
          block("203.0.113.0/24", Kind.REFUSED, "a documentation address"),
          block("224.0.0.0/4", Kind.REFUSED, "a multicast address"),
          block("255.255.255.255/32", Kind.REFUSED, "the broadcast address"),
          block("240.0.0.0/4", Kind.REFUSED, "a reserved address"),
          block("0.0.0.0/0", Kind.PUBLIC, "a public address"));

  private static final List<Block> IPV6 =
      List.of(
          block("::/128", Kind.REFUSED, "the unspecified address"),
          block("::1/128", Kind.LOOPBACK, "a loopback address"),
          carrying("::ffff:0:0/96", "an IPv4-mapped address", a -> List.of(ipv4At(a, 12))),
          // IPv4-compatible (::a.b.c.d), deprecated by RFC 4291: nothing legitimate uses it, and
          // some stacks route it to the IPv4 address, so it is refused whatever it carries.
          block("::/96", Kind.REFUSED, "a deprecated IPv4-compatible address"),
          // NAT64 (RFC 6052): a translator on the path connects to the IPv4 address it carries.
          carrying("64:ff9b::/96", "a NAT64 address", a -> List.of(ipv4At(a, 12))),
          block("64:ff9b:1::/48", Kind.PRIVATE, "a local-use NAT64 address"),
          block("100::/64", Kind.REFUSED, "a discard-only address"),
          // Teredo (RFC 4380): the server's IPv4 address, then the client's, inverted.
          carrying(
              "2001::/32", "a Teredo address", a -> List.of(ipv4At(a, 4), invert(ipv4At(a, 12)))),
          block("2001::/23", Kind.REFUSED, "an IETF protocol assignment"),
          block("2001:db8::/32", Kind.REFUSED, "a documentation address"),
          // 6to4 (RFC 3056): 2002:AABB:CCDD::/48 is the site behind IPv4 address AA.BB.CC.DD.
          carrying("2002::/16", "a 6to4 address", a -> List.of(ipv4At(a, 2))),
          block("3fff::/20", Kind.REFUSED, "a documentation address"),
          block("2000::/3", Kind.PUBLIC, "a public address"),
          block("fc00::/7", Kind.PRIVATE, "a unique local address"),
          block("fe80::/10", Kind.PRIVATE, "a link-local address"),
          block("fec0::/10", Kind.REFUSED, "a deprecated site-local address"),
          block("ff00::/8", Kind.REFUSED, "a multicast address"),
          block("::/0", Kind.REFUSED, "an address outside IPv6 global unicast"));

  private SpecialPurposeAddresses() {}

  /** The block of a 4- or 16-byte address (as {@link java.net.InetAddress#getAddress()}). */
  static Block of(byte[] address) {
    List<Block> table =
        switch (address.length) {
          case 4 -> IPV4;
          case 16 -> IPV6;
          default ->
              throw new IllegalArgumentException("not an IP address: " + address.length + " bytes");
        };
    for (Block block : table) {
      if (block.cidr().contains(address)) {
        return block;
      }
    }
    throw new IllegalStateException("the last row of each table contains every address");
  }

  private static Block block(String cidr, Kind kind, String description) {
    return new Block(Cidr.parse(cidr), kind, description, ipv6 -> List.of());
  }

  private static Block carrying(String cidr, String description, Carried carried) {
    return new Block(Cidr.parse(cidr), Kind.CARRIES_IPV4, description, carried);
  }

  private static byte[] ipv4At(byte[] ipv6, int from) {
    return new byte[] {ipv6[from], ipv6[from + 1], ipv6[from + 2], ipv6[from + 3]};
  }

  private static byte[] invert(byte[] ipv4) {
    byte[] inverted = new byte[ipv4.length];
    for (int i = 0; i < ipv4.length; i++) {
      inverted[i] = (byte) ~ipv4[i];
    }
    return inverted;
  }
}
