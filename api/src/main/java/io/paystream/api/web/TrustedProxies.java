package io.paystream.api.web;

import java.net.InetAddress;
import java.util.List;

/**
 * The networks whose {@code X-Forwarded-For} the API believes ({@code paystream.trusted-proxies}):
 * in practice the address the load balancer connects from. Empty by default, so that a client
 * talking to an instance directly cannot choose the address its rate limits and audit entries are
 * keyed by.
 */
public final class TrustedProxies {

  private final List<Network> networks;

  private TrustedProxies(List<Network> networks) {
    this.networks = List.copyOf(networks);
  }

  /** Trusts nobody: every request's client is its socket peer. */
  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /**
   * @param cidrs {@code 127.0.0.2/32}, {@code 10.0.0.0/8}, {@code ::1/128}; a bare address means
   *     that one host
   * @throws IllegalArgumentException naming the entry that is not such a network
   */
  public static TrustedProxies of(List<String> cidrs) {
    return new TrustedProxies(cidrs.stream().map(String::trim).map(Network::parse).toList());
  }

  public boolean trusts(InetAddress address) {
    return networks.stream().anyMatch(network -> network.contains(address));
  }

  public boolean isEmpty() {
    return networks.isEmpty();
  }

  /** An address and a prefix length in bits. */
  record Network(byte[] address, int prefixBits) {

    static Network parse(String cidr) {
      int slash = cidr.indexOf('/');
      String host = slash < 0 ? cidr : cidr.substring(0, slash);
      InetAddress address =
          IpLiteral.parse(host)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "paystream.trusted-proxies: '" + cidr + "' is not an IP network"));
      int bits = address.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "paystream.trusted-proxies: '" + cidr + "' has a prefix outside 0.." + bits);
      }
      return new Network(address.getAddress(), prefix);
    }

    boolean contains(InetAddress candidate) {
      byte[] other = candidate.getAddress();
      if (other.length != address.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (other[i] != address[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (other[full] & mask) == (address[full] & mask);
    }
  }
}
