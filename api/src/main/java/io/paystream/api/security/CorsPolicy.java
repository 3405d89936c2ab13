package io.paystream.api.security;

import java.time.Duration;
import java.util.List;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * Cross-origin access for browser front ends: only the configured origins ({@code
 * paystream.cors-allowed-origins}), none by default. Credentials (cookies) are never allowed: the
 * API authenticates with bearer tokens, which a browser does not send by itself.
 */
public final class CorsPolicy {

  /** How long a browser may cache a preflight answer: few preflights, quick to tighten. */
  static final Duration PREFLIGHT_MAX_AGE = Duration.ofMinutes(10);

  private CorsPolicy() {}

  public static CorsConfigurationSource source(List<String> allowedOrigins) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (allowedOrigins.isEmpty()) {
      return source;
    }
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(List.copyOf(allowedOrigins));
    cors.setAllowedMethods(List.of("GET", "POST"));
    cors.setAllowedHeaders(
        List.of(
            "Authorization",
            "Content-Type",
            "Idempotency-Key",
            "Prefer",
            "Last-Event-ID",
            "X-Request-Id"));
    cors.setExposedHeaders(
        List.of(
            "Location",
            "X-Request-Id",
            "Idempotent-Replayed",
            "Retry-After",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset"));
    cors.setAllowCredentials(false);
    cors.setMaxAge(PREFLIGHT_MAX_AGE);
    source.registerCorsConfiguration("/api/**", cors);
    return source;
  }
}
