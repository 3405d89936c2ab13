package io.paystream.api.ratelimit;

import io.paystream.api.audit.AuditTrail;
import io.paystream.api.web.ProblemExceptionHandler;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Per-user limits for authenticated requests: one bucket for the whole API and a tighter one for
 * the POSTs that move money. Runs after Spring Security (its chain is at order -100), so the caller
 * is known; unauthenticated requests are limited by the login and registration limits.
 */
@Component
public class RateLimitFilter implements WebFilter, org.springframework.core.Ordered {

  /** After the security chain, before the handlers. */
  static final int ORDER = 0;

  /** The contract's money-moving POSTs (CONTRACT.md, Money movement). */
  static final Set<String> MONEY_PATHS =
      Set.of(
          "/api/v1/deposits",
          "/api/v1/transfers",
          "/api/v1/withdrawals",
          "/api/v1/transfer-batches",
          "/api/v1/holds");

  /**
   * The money POSTs under a resource: a refund of a transfer (docs/CONTRACT.md, Refunds), and a
   * hold's capture and void (Holds).
   */
  static final Pattern MONEY_SUBPATH =
      Pattern.compile("/api/v1/transfers/[^/]+/refunds|/api/v1/holds/[^/]+/(capture|void)");

  private static final List<RateLimit> API_LIMITS = List.of(RateLimit.API_PER_USER);
  private static final List<RateLimit> MONEY_LIMITS =
      List.of(RateLimit.API_PER_USER, RateLimit.MONEY_PER_USER);

  private final RateLimiter limiter;
  private final ProblemExceptionHandler problems;
  private final AuditTrail audit;

  public RateLimitFilter(RateLimiter limiter, ProblemExceptionHandler problems, AuditTrail audit) {
    this.limiter = limiter;
    this.problems = problems;
    this.audit = audit;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return exchange
        .getPrincipal()
        .filter(JwtAuthenticationToken.class::isInstance)
        .map(principal -> UUID.fromString(principal.getName()))
        .flatMap(
            user ->
                decide(exchange, user)
                    .filter(decision -> !decision.allowed())
                    .map(decision -> new Refusal(user, decision)))
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            refusal ->
                refusal.isEmpty()
                    ? chain.filter(exchange)
                    : audit
                        .rateLimited(
                            refusal.get().user(),
                            refusal.get().user().toString(),
                            refusal.get().decision().name().limitName(),
                            refusal.get().decision().limit(),
                            refusal.get().decision().retryAfterSeconds())
                        .then(
                            problems.handle(
                                exchange, new RateLimitedException(refusal.get().decision()))));
  }

  /**
   * The overall bucket first; a money POST also takes from the money bucket, unless the overall one
   * refused. Both in one call, so one Redis round trip.
   */
  private Mono<RateDecision> decide(ServerWebExchange exchange, UUID user) {
    return limiter.consume(isMoney(exchange) ? MONEY_LIMITS : API_LIMITS, user.toString());
  }

  private record Refusal(UUID user, RateDecision decision) {}

  private static boolean isMoney(ServerWebExchange exchange) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    return exchange.getRequest().getMethod() == HttpMethod.POST
        && (MONEY_PATHS.contains(path) || MONEY_SUBPATH.matcher(path).matches());
  }
}
