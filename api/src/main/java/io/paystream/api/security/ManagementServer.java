package io.paystream.api.security;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Requests that arrived on the management port (management.server.port), recognised by the child
 * application context that Spring Boot runs that server in. The security chain applies to both
 * servers, and the management server is open to whoever can reach its address: access to it is a
 * network decision (loopback by default), made where it is bound, not a token.
 */
public final class ManagementServer {

  /** Spring Boot's name for the management server's context. */
  static final String NAMESPACE = "management";

  public static final ServerWebExchangeMatcher REQUESTS = ManagementServer::matches;

  private ManagementServer() {}

  private static Mono<MatchResult> matches(ServerWebExchange exchange) {
    return WebServerApplicationContext.hasServerNamespace(
            exchange.getApplicationContext(), NAMESPACE)
        ? MatchResult.match()
        : MatchResult.notMatch();
  }
}
