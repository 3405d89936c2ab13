package io.paystream.api.observability;

import io.paystream.api.web.LogContext;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Adds the authenticated user's id to the log context ({@link LogContext#USER_ID}) and to the
 * exchange, for the access log. Runs after the security chain has verified the bearer token, whose
 * subject is the user id (the principal's name); requests without a user pass through unchanged.
 */
@Component
@Order(UserLogContextFilter.ORDER)
public class UserLogContextFilter implements WebFilter {

  /** Right after Spring Security's filter chain proxy (order -100), before every handler. */
  static final int ORDER = -99;

  public static final String ATTRIBUTE = UserLogContextFilter.class.getName() + ".userId";

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return exchange
        .getPrincipal()
        .filter(JwtAuthenticationToken.class::isInstance)
        .map(principal -> Optional.of(principal.getName()))
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            user -> {
              if (user.isEmpty()) {
                return chain.filter(exchange);
              }
              exchange.getAttributes().put(ATTRIBUTE, user.get());
              return chain
                  .filter(exchange)
                  .contextWrite(context -> context.put(LogContext.USER_ID, user.get()));
            });
  }
}
