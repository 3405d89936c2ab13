package io.paystream.api.hold;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The expiry of holds, under {@code paystream.holds}.
 *
 * @param expirySweepMillis how often each instance looks for HELD holds past their expiry. A hold
 *     outlives its {@code expiresAt} by at most this plus one sweep's transaction while the
 *     database is up (captures and voids refuse an expired hold from {@code expiresAt} on, swept or
 *     not). 1000 by default; 50..60000
 * @param expiryBatchMax the most holds one sweep transaction expires; a sweep that fills it runs
 *     again at once, so a backlog drains without waiting for the next tick
 */
@ConfigurationProperties("paystream.holds")
public record HoldProperties(
    @DefaultValue("1000") long expirySweepMillis, @DefaultValue("200") int expiryBatchMax) {

  public HoldProperties {
    if (expirySweepMillis < 50 || expirySweepMillis > 60_000) {
      throw new IllegalArgumentException(
          "paystream.holds.expiry-sweep-millis must be 50..60000: " + expirySweepMillis);
    }
    if (expiryBatchMax < 1 || expiryBatchMax > 10_000) {
      throw new IllegalArgumentException(
          "paystream.holds.expiry-batch-max must be 1..10000: " + expiryBatchMax);
    }
  }

  public Duration expirySweep() {
    return Duration.ofMillis(expirySweepMillis);
  }
}
