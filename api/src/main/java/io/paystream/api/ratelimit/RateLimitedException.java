package io.paystream.api.ratelimit;

/**
 * A request refused by a rate limit; rendered as 429 {@code rate_limited} with the {@link
 * RateDecision} headers by the problem handler.
 */
public final class RateLimitedException extends RuntimeException {

  private final RateDecision decision;

  public RateLimitedException(RateDecision decision) {
    super(
        "too many requests; retry after " + Math.max(1, decision.retryAfterSeconds()) + " seconds",
        null,
        false,
        false);
    this.decision = decision;
  }

  public RateDecision decision() {
    return decision;
  }
}
