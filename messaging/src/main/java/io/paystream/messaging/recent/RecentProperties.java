package io.paystream.messaging.recent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the recent-entries cache, under {@code paystream.recent}.
 *
 * @param entriesMax the contract's "latest 20"; also what each account's sorted set is trimmed to
 * @param redisTimeoutMillis a Redis call slower than this is abandoned and the answer comes from
 *     PostgreSQL: a cache that waits longer than the database query it saves is not a cache
 * @param warmSeconds how long a rebuilt set is trusted without a rebuild; the bound on how stale it
 *     can be if Redis missed an update (an outage during a write), 10 minutes
 * @param consumerGroup the Kafka group that applies ledger events to the cache, one across
 *     instances, so each event updates Redis once
 */
@ConfigurationProperties("paystream.recent")
public record RecentProperties(
    @DefaultValue("20") int entriesMax,
    @DefaultValue("250") long redisTimeoutMillis,
    @DefaultValue("600") long warmSeconds,
    @DefaultValue("paystream-recent-entries") String consumerGroup) {

  public Duration redisTimeout() {
    return Duration.ofMillis(redisTimeoutMillis);
  }
}
