package io.paystream.api.web;

import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request came from, as the server saw it. Behind a reverse proxy, set {@code
 * server.forward-headers-strategy=native} (or {@code framework}) so that this is the client's
 * address taken from the proxy's headers; the API never trusts {@code X-Forwarded-For} on its own,
 * because any client can send one.
 */
public final class ClientAddress {

  private ClientAddress() {}

  /** The textual IP address, or {@code "unknown"}. */
  public static String of(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    if (remote == null) {
      return "unknown";
    }
    return remote.getAddress() != null
        ? remote.getAddress().getHostAddress()
        : remote.getHostString();
  }
}
