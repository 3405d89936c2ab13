package io.paystream.messaging.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Refuses webhook URLs that would make Paystream call into its own network (SSRF): only http(s),
 * no credentials in the URL, and every address the host resolves to must be public unless
 * configuration allows loopback or private ranges. Checked at registration and again before
 * every delivery, because DNS answers change.
 *
 * <p>Known limit: between this check and the connection the name is resolved again, so a DNS
 * server that answers differently within that window (rebinding) is not stopped here; a
 * deployment that must stop it routes webhook traffic through an egress proxy.
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
    String host = uri.getHost().startsWith("[")
        ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    // The JDK resolver blocks; run it where blocking is allowed.
    return Mono.fromCallable(() -> InetAddress.getAllByName(host))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(UnknownHostException.class,
            e -> new RefusedUrlException("the host does not resolve"))
        .flatMap(addresses -> {
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
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
        || uri.getHost().isBlank()) {
      throw new RefusedUrlException("must be an http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new RefusedUrlException("must not carry credentials");
    }
    return uri;
  }

  /** Why the address is refused, or null. */
  String refusal(InetAddress address) {
    InetAddress checked = unmapped(address);
    if (checked.isLoopbackAddress()) {
      return allowLoopback ? null : "a loopback address";
    }
    if (checked.isAnyLocalAddress() || checked.isMulticastAddress()) {
      return "a non-unicast address";
    }
    if (checked.isLinkLocalAddress() || checked.isSiteLocalAddress() || isCarrierGrade(checked)
        || isUniqueLocal(checked)) {
      return allowPrivate ? null : "a private or link-local address";
    }
    return null;
  }

  /** An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address. */
  private static InetAddress unmapped(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= bytes[i] == 0;
      }
      mapped &= (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return address;
  }

  /** 100.64.0.0/10, shared address space (RFC 6598). */
  private static boolean isCarrierGrade(InetAddress address) {
    byte[] b = address.getAddress();
    return address instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
  }

  /** fc00::/7, IPv6 unique local addresses (RFC 4193). */
  private static boolean isUniqueLocal(InetAddress address) {
    return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
  }

  /** A URL the guard refuses; the message is safe to show the client. */
  public static final class RefusedUrlException extends RuntimeException {
    public RefusedUrlException(String message) {
      super(message, null, false, false);
    }
  }
}
