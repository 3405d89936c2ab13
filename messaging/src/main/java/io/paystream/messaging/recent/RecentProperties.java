package io.paystream.messaging.recent;

import static io.paystream.messaging.ConfigurationBounds.check;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the recent-entries cache, under {@code paystream.recent}: its writer (the credit leg's
 * pass, through {@link RecentEntriesUpdater}) and its reader (the API's endpoint) share them. Each
 * is checked against its range at start-up.
 *
 * @param entriesMax the contract's "latest 20"; also what each account's sorted set is trimmed to
 * @param redisTimeoutMillis a Redis call slower than this is abandoned and the answer comes from
 *     PostgreSQL: a cache that waits longer than the database query it saves is not a cache
 * @param warmSeconds how long a rebuilt set is trusted without a rebuild; the bound on how stale it
 *     can be if Redis missed an update (an outage during a write), 10 minutes
 * @param updateRetryAttemptsMax retries of one batch's update (Redis or PostgreSQL failing) inside
 *     the pass, which waits for them: few and short, because the next batch waits too. When they
 *     run out the batch's movements go to the repair backlog, retried every {@code
 *     updateRetryBackoffMaxMillis} until Redis takes them, so the cache still catches up while
 *     credits go on
 * @param updateRetryBackoffMinMillis first retry delay, doubled each attempt
 * @param updateRetryBackoffMaxMillis ceiling of one retry delay, and the repair's interval
 * @param repairBacklogMax movements the repair holds at most (a long Redis outage under load); past
 *     it the oldest are dropped and counted, and their accounts' sets are then stale for at most
 *     {@code warmSeconds}, as after a crash of the instance holding the backlog
 */
@ConfigurationProperties("paystream.recent")
public record RecentProperties(
    @DefaultValue("20") int entriesMax,
    @DefaultValue("250") long redisTimeoutMillis,
    @DefaultValue("600") long warmSeconds,
    @DefaultValue("2") int updateRetryAttemptsMax,
    @DefaultValue("50") long updateRetryBackoffMinMillis,
    @DefaultValue("5000") long updateRetryBackoffMaxMillis,
    @DefaultValue("100000") int repairBacklogMax) {

  private static final String PREFIX = "paystream.recent.";

  public RecentProperties {
    check(PREFIX + "entries-max", entriesMax, 1, 1_000);
    check(PREFIX + "redis-timeout-millis", redisTimeoutMillis, 1, 10_000);
    check(PREFIX + "warm-seconds", warmSeconds, 1, 86_400);
    check(PREFIX + "update-retry-attempts-max", updateRetryAttemptsMax, 0, 100);
    check(PREFIX + "update-retry-backoff-min-millis", updateRetryBackoffMinMillis, 1, 60_000);
    check(
        PREFIX + "update-retry-backoff-max-millis",
        updateRetryBackoffMaxMillis,
        updateRetryBackoffMinMillis,
        600_000);
    check(PREFIX + "repair-backlog-max", repairBacklogMax, 1, 10_000_000);
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
