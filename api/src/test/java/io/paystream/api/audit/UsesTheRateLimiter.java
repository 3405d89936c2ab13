package io.paystream.api.audit;

import io.paystream.api.ratelimit.RateDecision;

/**
 * Breaks {@code ApiArchitectureTest}'s cycle rule on purpose: the audit trail depending on the rate
 * limiter, which audits through it (the cycle this module once had). Never instantiated or called.
 */
public final class UsesTheRateLimiter {

  private UsesTheRateLimiter() {}

  public static Object leak(RateDecision decision) {
    return decision;
  }
}
