package io.paystream.api.web;

import io.paystream.api.ApiProperties;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The address a request came from, which per-address rate limits and the audit trail are keyed by.
 * It is the socket peer, unless the peer is a trusted proxy ({@code paystream.trusted-proxies}):
 * then it is the rightmost {@code X-Forwarded-For} entry that is not itself a trusted proxy, the
 * one address the proxy saw and vouches for. Entries left of it were written by the client and are
 * never read, so padding the header changes nothing. A malformed entry where an address is needed
 * makes the peer the answer, so garbage cannot turn into an address of the sender's choice. {@code
 * server.forward-headers-strategy} stays unset: it would believe the header from any peer.
 */
@Component
public class ClientAddress {

  static final String FORWARDED_FOR = "X-Forwarded-For";

  private final TrustedProxies proxies;

  @Autowired
  public ClientAddress(ApiProperties properties) {
    this(TrustedProxies.of(properties.trustedProxies()));
  }

  ClientAddress(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  /** The textual IP address, or {@code "unknown"}. */
  public String of(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    if (remote == null) {
      return "unknown";
    }
    if (remote.getAddress() == null) {
      return remote.getHostString();
    }
    return resolve(remote.getAddress(), request.getHeaders().get(FORWARDED_FOR)).getHostAddress();
  }

  /** The client behind {@code peer}, given the {@code X-Forwarded-For} header lines (or null). */
  InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
    if (!proxies.trusts(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> entries =
        forwardedFor.stream().flatMap(line -> List.of(line.split(",", -1)).stream()).toList();
    InetAddress client = peer;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = IpLiteral.parse(entries.get(i).trim());
      if (hop.isEmpty()) {
        return peer;
      }
      client = hop.get();
      if (!proxies.trusts(client)) {
        return client;
      }
    }
    // Every hop is one of our proxies: the leftmost is as close to the client as we can see.
    return client;
  }
}
