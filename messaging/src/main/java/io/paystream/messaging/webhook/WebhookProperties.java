package io.paystream.messaging.webhook;

import static io.paystream.messaging.ConfigurationBounds.check;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every limit of webhook delivery, under {@code paystream.webhooks}. Each is checked against its
 * range at start-up.
 *
 * @param allowLoopback deliver to loopback addresses; off in production (SSRF), on in tests whose
 *     receiver listens on 127.0.0.1
 * @param allowPrivate deliver to private, shared (carrier-grade NAT), link-local, unique-local and
 *     local-use NAT64 addresses; off in production, where they reach our own network and cloud
 *     metadata
 * @param retryHorizonSeconds a delivery is retried for 24 hours (the minimum) before it is
 *     dead-lettered
 * @param retryBackoffMinMillis first retry delay, doubled each attempt with +-50% jitter
 * @param retryBackoffMaxSeconds ceiling of one retry delay: an hour keeps a receiver that is down
 *     for a day at ~30 attempts, not thousands
 * @param requestTimeoutMillis a receiver must answer within 5 s; slower counts as a failure
 * @param pollIntervalMillis how often due deliveries are looked for
 * @param batchMax deliveries claimed per poll
 * @param concurrencyMax deliveries in flight per instance, so one slow receiver cannot take every
 *     connection
 * @param claimLeaseSeconds a claimed delivery is left alone by other instances this long: longer
 *     than one attempt can take (the request timeout), so a delivery is not sent twice at once, and
 *     short enough that an instance that died mid-attempt delays it by a minute, not an hour
 */
@ConfigurationProperties("paystream.webhooks")
public record WebhookProperties(
    @DefaultValue("false") boolean allowLoopback,
    @DefaultValue("false") boolean allowPrivate,
    @DefaultValue("86400") long retryHorizonSeconds,
    @DefaultValue("10000") long retryBackoffMinMillis,
    @DefaultValue("3600") long retryBackoffMaxSeconds,
    @DefaultValue("5000") long requestTimeoutMillis,
    @DefaultValue("1000") long pollIntervalMillis,
    @DefaultValue("50") int batchMax,
    @DefaultValue("8") int concurrencyMax,
    @DefaultValue("60") long claimLeaseSeconds) {

  private static final String PREFIX = "paystream.webhooks.";

  public WebhookProperties {
    check(PREFIX + "retry-horizon-seconds", retryHorizonSeconds, 1, 7 * 86_400);
    check(PREFIX + "retry-backoff-min-millis", retryBackoffMinMillis, 1, 3_600_000);
    check(
        PREFIX + "retry-backoff-max-seconds",
        retryBackoffMaxSeconds,
        Math.max(1, retryBackoffMinMillis / 1_000),
        86_400);
    check(PREFIX + "request-timeout-millis", requestTimeoutMillis, 100, 120_000);
    check(PREFIX + "poll-interval-millis", pollIntervalMillis, 10, 60_000);
    check(PREFIX + "batch-max", batchMax, 1, 10_000);
    check(PREFIX + "concurrency-max", concurrencyMax, 1, 1_024);
    check(
        PREFIX + "claim-lease-seconds",
        claimLeaseSeconds,
        requestTimeoutMillis / 1_000 + 1,
        86_400);
  }

  public Duration retryHorizon() {
    return Duration.ofSeconds(retryHorizonSeconds);
  }

  public Duration claimLease() {
    return Duration.ofSeconds(claimLeaseSeconds);
  }
}
