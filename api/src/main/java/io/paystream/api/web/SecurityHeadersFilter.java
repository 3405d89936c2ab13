package io.paystream.api.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff} on every response,
 * and a Content-Security-Policy on every response but Swagger UI's (see {@link #POLICY}), including
 * those written before Spring Security runs (413 from {@link BodySizeLimitFilter}) — the values
 * Spring Security writes itself, so every response looks the same. Balances and tokens must never
 * sit in a shared cache, and a browser must never guess a type.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecurityHeadersFilter implements WebFilter {

  static final String NO_STORE = "no-cache, no-store, max-age=0, must-revalidate";

  /**
   * What the console and the wallet may load: their own scripts, styles and API, nothing inline (no
   * {@code unsafe-inline}: an injected {@code <script>} or {@code onerror=} never runs), no other
   * origin, no framing. On API responses it costs nothing and forbids a JSON body from ever acting
   * as a page.
   */
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  /** Swagger UI (springdoc's bundle) keeps its own headers: it relies on inline styles. */
  private static boolean swaggerUi(String path) {
    return path.startsWith("/swagger-ui") || path.startsWith("/webjars/");
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    exchange
        .getResponse()
        .beforeCommit(
            () -> {
              HttpHeaders headers = exchange.getResponse().getHeaders();
              if (!headers.containsHeader(HttpHeaders.CACHE_CONTROL)) {
                headers.set(HttpHeaders.CACHE_CONTROL, NO_STORE);
                headers.set(HttpHeaders.PRAGMA, "no-cache");
                headers.set(HttpHeaders.EXPIRES, "0");
              }
              headers.set("X-Content-Type-Options", "nosniff");
              if (!swaggerUi(exchange.getRequest().getPath().value())) {
                headers.set("Content-Security-Policy", POLICY);
                headers.set("Referrer-Policy", "no-referrer");
              }
              return Mono.empty();
            });
    return chain.filter(exchange);
  }
}
