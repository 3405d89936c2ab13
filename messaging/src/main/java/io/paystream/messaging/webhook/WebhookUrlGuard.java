package io.paystream.messaging.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Refuses webhook URLs that would make Paystream call into its own network (SSRF): only http(s), no
 * credentials in the URL, and every address the host resolves to must be public unless
 * configuration allows loopback or private ranges. What counts as public is the table of {@link
 * SpecialPurposeAddresses}; an IPv6 address that carries an IPv4 address (IPv4-mapped, NAT64, 6to4,
 * Teredo) is refused if any IPv4 address it carries would be, and the deprecated IPv4-compatible
 * form is refused outright.
 *
 * <p>Checked at registration ({@link #check}, the JDK resolver) and again at every delivery,
 * because DNS answers change: there the addresses judged are the very ones the HTTP client connects
 * to ({@link GuardedAddressResolverGroup}), so a DNS server that answers differently from one
 * lookup to the next (rebinding) gets no second lookup to exploit, and no connection is opened to a
 * refused address. Known limit: the guard judges addresses, not what answers there; a public
 * address of ours that forwards inward (a proxy or load balancer) is not stopped here, which is
 * what an egress firewall is for.
 */
public final class WebhookUrlGuard {

  /** Longest URL accepted; real endpoints are far shorter. */
  public static final int URL_LENGTH_MAX = 2048;

  private final boolean allowLoopback;
  private final boolean allowPrivate;

  public WebhookUrlGuard(boolean allowLoopback, boolean allowPrivate) {
    this.allowLoopback = allowLoopback;
    this.allowPrivate = allowPrivate;
  }

  /** The URL, or an error {@link RefusedUrlException} saying why not. */
  public Mono<URI> check(String url) {
    URI uri;
    try {
      uri = shape(url);
    } catch (RefusedUrlException e) {
      return Mono.error(e);
    }
    String host =
        uri.getHost().startsWith("[")
            ? uri.getHost().substring(1, uri.getHost().length() - 1)
            : uri.getHost();
    // The JDK resolver blocks; run it where blocking is allowed.
    return Mono.fromCallable(() -> InetAddress.getAllByName(host))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(
            UnknownHostException.class, e -> new RefusedUrlException("the host does not resolve"))
        .flatMap(
            addresses -> {
              for (InetAddress address : addresses) {
                String why = refusal(address);
                if (why != null) {
                  return Mono.error(new RefusedUrlException("the host resolves to " + why));
                }
              }
              return Mono.just(uri);
            });
  }

  static URI shape(String url) {
    if (url == null || url.isBlank() || url.length() > URL_LENGTH_MAX) {
      throw new RefusedUrlException("must be an http or https URL");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new RefusedUrlException("must be an http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")
        || uri.getHost() == null
        || uri.getHost().isBlank()) {
      throw new RefusedUrlException("must be an http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new RefusedUrlException("must not carry credentials");
    }
    return uri;
  }

  /** Why the address is refused, or null; the reason completes "the host resolves to ...". */
  String refusal(InetAddress address) {
    return refusal(address.getAddress());
  }

  private String refusal(byte[] address) {
    SpecialPurposeAddresses.Block block = SpecialPurposeAddresses.of(address);
    return switch (block.kind()) {
      case PUBLIC -> null;
      case LOOPBACK -> allowLoopback ? null : block.description();
      case PRIVATE -> allowPrivate ? null : block.description();
      case REFUSED -> block.description();
      case CARRIES_IPV4 -> carriedRefusal(block, address);
    };
  }

  /** An IPv6 form that carries IPv4 addresses is refused if any of them would be. */
  private String carriedRefusal(SpecialPurposeAddresses.Block block, byte[] ipv6) {
    for (byte[] ipv4 : block.carried().ipv4(ipv6)) {
      String why = refusal(ipv4);
      if (why != null) {
        return block.description() + " carrying " + why;
      }
    }
    return null;
  }

  /** A URL the guard refuses; the message is safe to show the client. */
  public static final class RefusedUrlException extends RuntimeException {
    public RefusedUrlException(String message) {
      super(message, null, false, false);
    }
  }
}
