package io.paystream.api.ratelimit;

import io.paystream.api.audit.AuditTrail;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The limits in front of login and registration, checked before any password is hashed so that a
 * flood costs the attacker more than it costs us: per client address first (one address spraying
 * many emails), then per email (many addresses guessing one password).
 */
@Component
public class AuthRateLimits {

  private final RateLimiter limiter;
  private final AuditTrail audit;

  public AuthRateLimits(RateLimiter limiter, AuditTrail audit) {
    this.limiter = limiter;
    this.audit = audit;
  }

  /** Completes empty when the login may proceed; else fails with {@link RateLimitedException}. */
  public Mono<Void> login(String normalisedEmail, String clientAddress) {
    return take(RateLimit.LOGIN_PER_ADDRESS, clientAddress)
        .then(take(RateLimit.LOGIN_PER_EMAIL, normalisedEmail));
  }

  /** As {@link #login}, for registration. */
  public Mono<Void> registration(String normalisedEmail, String clientAddress) {
    return take(RateLimit.REGISTRATION_PER_ADDRESS, clientAddress)
        .then(take(RateLimit.REGISTRATION_PER_EMAIL, normalisedEmail));
  }

  /** As {@link #login}, for refreshing a token: per client address only. */
  public Mono<Void> refresh(String clientAddress) {
    return take(RateLimit.REFRESH_PER_ADDRESS, clientAddress);
  }

  private Mono<Void> take(RateLimit limit, String key) {
    return limiter
        .consume(limit, key)
        .flatMap(
            decision ->
                decision.allowed()
                    ? Mono.<Void>empty()
                    : audit
                        .rateLimited(
                            null,
                            RateLimiter.hash(key),
                            decision.name().limitName(),
                            decision.limit(),
                            decision.retryAfterSeconds())
                        .then(Mono.<Void>error(new RateLimitedException(decision))));
  }
}
