package io.paystream.messaging.recent;

import static io.paystream.messaging.ConfigurationBounds.check;
import static io.paystream.messaging.ConfigurationBounds.checkText;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the recent-entries cache, under {@code paystream.recent}: its writer (the ledger-event
 * consumer, here) and its reader (the API's endpoint) share them. Each is checked against its range
 * at start-up.
 *
 * @param entriesMax the contract's "latest 20"; also what each account's sorted set is trimmed to
 * @param redisTimeoutMillis a Redis call slower than this is abandoned and the answer comes from
 *     PostgreSQL: a cache that waits longer than the database query it saves is not a cache
 * @param warmSeconds how long a rebuilt set is trusted without a rebuild; the bound on how stale it
 *     can be if Redis missed an update (an outage during a write), 10 minutes
 * @param consumerGroup the Kafka group that applies ledger events to the cache, one across
 *     instances, so each event updates Redis once
 * @param updateRetryAttemptsMax retries of one poll's update (Redis or PostgreSQL failing) before
 *     the consumer gives up on it: with the backoff below about 16 s, which rides out a Redis
 *     restart or failover without leaving the consumer group. Giving up fails the stream, which is
 *     restarted and resumes from the last committed offset, so the cache still catches up
 * @param updateRetryBackoffMinMillis first retry delay, doubled each attempt
 * @param updateRetryBackoffMaxMillis ceiling of one retry delay
 */
@ConfigurationProperties("paystream.recent")
public record RecentProperties(
    @DefaultValue("20") int entriesMax,
    @DefaultValue("250") long redisTimeoutMillis,
    @DefaultValue("600") long warmSeconds,
    @DefaultValue("paystream-recent-entries") String consumerGroup,
    @DefaultValue("8") int updateRetryAttemptsMax,
    @DefaultValue("100") long updateRetryBackoffMinMillis,
    @DefaultValue("5000") long updateRetryBackoffMaxMillis) {

  private static final String PREFIX = "paystream.recent.";

  public RecentProperties {
    check(PREFIX + "entries-max", entriesMax, 1, 1_000);
    check(PREFIX + "redis-timeout-millis", redisTimeoutMillis, 1, 10_000);
    check(PREFIX + "warm-seconds", warmSeconds, 1, 86_400);
    checkText(PREFIX + "consumer-group", consumerGroup);
    check(PREFIX + "update-retry-attempts-max", updateRetryAttemptsMax, 0, 100);
    check(PREFIX + "update-retry-backoff-min-millis", updateRetryBackoffMinMillis, 1, 60_000);
    check(
        PREFIX + "update-retry-backoff-max-millis",
        updateRetryBackoffMaxMillis,
        updateRetryBackoffMinMillis,
        600_000);
  }

  public Duration redisTimeout() {
    return Duration.ofMillis(redisTimeoutMillis);
  }

  public Duration updateRetryBackoffMin() {
    return Duration.ofMillis(updateRetryBackoffMinMillis);
  }

  public Duration updateRetryBackoffMax() {
    return Duration.ofMillis(updateRetryBackoffMaxMillis);
  }
}
