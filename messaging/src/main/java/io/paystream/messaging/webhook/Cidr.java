package io.paystream.messaging.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}): the addresses
 * whose first {@code prefixBits} bits equal the network's. IPv4 and IPv6 blocks never contain each
 * other's addresses; an IPv4 address written as IPv6 is a 16-byte address here.
 */
final class Cidr {

  private final String text;
  private final byte[] network;
  private final int prefixBits;

  private Cidr(String text, byte[] network, int prefixBits) {
    this.text = text;
    this.network = network;
    this.prefixBits = prefixBits;
  }

  /**
   * Parses a literal block of the table; a typo in it is a bug, so it throws rather than refuse.
   * The network must have no bits set past the prefix, which catches a wrong length.
   */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR block: " + text);
    }
    String literal = text.substring(0, slash);
    int prefixBits = Integer.parseInt(text.substring(slash + 1));
    byte[] network = literalBytes(literal);
    if (prefixBits < 0 || prefixBits > network.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + text);
    }
    if (!hostBitsAreZero(network, prefixBits)) {
      throw new IllegalArgumentException("bits set past the prefix: " + text);
    }
    return new Cidr(text, network, prefixBits);
  }

  /** Whether the address (4 or 16 bytes, as {@link InetAddress#getAddress()}) is in the block. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int wholeBytes = prefixBits / 8;
    for (int i = 0; i < wholeBytes; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int restBits = prefixBits % 8;
    if (restBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - restBits)) & 0xff;
    return (address[wholeBytes] & mask) == (network[wholeBytes] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  private static boolean hostBitsAreZero(byte[] network, int prefixBits) {
    for (int bit = prefixBits; bit < network.length * 8; bit++) {
      if ((network[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The bytes of an IP literal. The JDK parses literals without a DNS lookup, but it turns an
   * IPv4-mapped IPv6 literal ({@code ::ffff:0:0}) into the IPv4 address: put the 16 bytes back,
   * since that block must match the 16-byte form a socket address can carry.
   */
  private static byte[] literalBytes(String literal) {
    if (!literal.matches("[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("not an IP literal: " + literal);
    }
    byte[] parsed;
    try {
      parsed = InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + literal, e);
    }
    if (parsed.length == 4 && literal.contains(":")) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(parsed, 0, mapped, 12, 4);
      return mapped;
    }
    return parsed;
  }
}
