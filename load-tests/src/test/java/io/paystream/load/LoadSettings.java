package io.paystream.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;

/**
 * Settings of a simulation: Java system properties ({@code -Dusers=100}), else environment
 * variables of the same name, else the default. The target must be on this machine.
 */
final class LoadSettings {

  private LoadSettings() {}

  /** The API under test; {@code -DbaseUrl} or {@code BASE_URL}. Loopback only. */
  static String baseUrl() {
    return loopbackOnly(setting("baseUrl", setting("BASE_URL", "http://localhost:8080")));
  }

  /** Plain HTTP/1.1 to the local API, no warm-up call to https://gatling.io. */
  static HttpProtocolBuilder httpProtocol() {
    return http.baseUrl(baseUrl())
        .disableWarmUp()
        .acceptHeader("application/json")
        .userAgentHeader("paystream-load-tests");
  }

  static String setting(String name, String fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  static int positive(String name, int fallback) {
    return between(name, fallback, 1, Integer.MAX_VALUE);
  }

  static long positiveLong(String name, long fallback) {
    long value = Long.parseLong(setting(name, Long.toString(fallback)));
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
    return value;
  }

  static int nonNegative(String name, int fallback) {
    return between(name, fallback, 0, Integer.MAX_VALUE);
  }

  static int between(String name, int fallback, int min, int max) {
    int value = Integer.parseInt(setting(name, Integer.toString(fallback)));
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** A setting that has no default: the run cannot check what it promises without it. */
  static String required(String name, String why) {
    String value = setting(name, "");
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " is not set: " + why);
    }
    return value;
  }

  static String loopbackOnly(String baseUrl) {
    URI uri = URI.create(baseUrl);
    String host = uri.getHost();
    boolean loopback =
        host != null
            && (host.equals("localhost")
                || host.startsWith("127.")
                || host.equals("[::1]")
                || host.equals("::1"));
    if (!loopback || uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "baseUrl must be an http(s) URL on this machine (localhost, 127.x, [::1]), was "
              + baseUrl);
    }
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }
}
