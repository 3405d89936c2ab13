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
 * including those written before Spring Security runs (413 from {@link BodySizeLimitFilter}) — the
 * values Spring Security writes itself, so every response looks the same. Balances and tokens must
 * never sit in a shared cache, and a browser must never guess a type.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecurityHeadersFilter implements WebFilter {

  static final String NO_STORE = "no-cache, no-store, max-age=0, must-revalidate";

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
              return Mono.empty();
            });
    return chain.filter(exchange);
  }
}
