package io.paystream.api.ratelimit;

import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;

/**
 * The outcome of taking one token from a bucket, with what the contract's headers need.
 *
 * @param allowed whether the request may proceed
 * @param limit the bucket's capacity per window
 * @param remaining tokens left after this request
 * @param retryAfterSeconds when refused, seconds until one token is back (at least 1)
 * @param resetSeconds seconds until the bucket is full again: exact for a refusal; for an allowed
 *     decision of the shared buckets at most this (the window), since no header carries it and
 *     asking Redis would cost a command per bucket
 */
public record RateDecision(
    RateLimit name,
    boolean allowed,
    long limit,
    long remaining,
    long retryAfterSeconds,
    long resetSeconds) {

  static long seconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }

  /** {@code RateLimit-*} (IETF draft) and, when refused, {@code Retry-After} (RFC 9110). */
  public void writeHeaders(HttpHeaders headers) {
    headers.set("RateLimit-Limit", Long.toString(limit));
    headers.set("RateLimit-Remaining", Long.toString(remaining));
    headers.set("RateLimit-Reset", Long.toString(resetSeconds));
    if (!allowed) {
      headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)));
    }
  }
}
