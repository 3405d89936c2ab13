package io.paystream.messaging;

import static io.paystream.messaging.ConfigurationBounds.check;
import static io.paystream.messaging.ConfigurationBounds.checkText;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every limit of the messaging module's Kafka clients and money-path consumers, under {@code
 * paystream.kafka}. Each is checked against its range at start-up (see the constructor).
 *
 * @param bootstrapServers the Kafka cluster; the contract's default is a local broker
 * @param topicPartitions partitions per topic: the ceiling on parallel credit-leg consumers across
 *     instances; 6 lets up to 6 instances share the work on a 2-core machine's broker
 * @param topicReplicationFactor copies of each partition of the project's topics, on as many
 *     brokers: 1 for a single local broker (the default, which needs nothing more), 3 for the
 *     cluster, so that an acknowledged event survives the loss of a broker. Only applies when this
 *     instance creates a topic; an existing topic with fewer copies is reported at start, because
 *     Kafka cannot add replicas without a partition reassignment
 * @param topicMinInsyncReplicas replicas that must have an event before the broker acknowledges it
 *     to the relay's {@code acks=all} producer (the topics' {@code min.insync.replicas}); with 3
 *     copies, 2 lets one broker be down while every acknowledged event still exists twice. At most
 *     {@code topicReplicationFactor}: more could never be in sync, and every send would fail
 * @param outboxBatchSizeMax rows the relay sends per database transaction: large enough to amortise
 *     the commit, small enough that a batch's row locks are held only milliseconds
 * @param outboxPollIntervalSeconds the relay's safety net when a NOTIFY is lost (a restart of the
 *     listening connection); NOTIFY is the normal wake-up
 * @param outboxRetentionHours sent outbox rows are purged after this; they have been delivered
 * @param creditRetryAttemptsMax transient failures (database unavailable, deadlock) of one message
 *     are retried this often before it goes to the dead-letter topic
 * @param creditRetryBackoffMinMillis first retry delay; doubled each attempt, with jitter
 * @param creditRetryBackoffMaxMillis ceiling of the retry delay
 * @param creditBatchMax credit-leg messages one poll takes (Kafka's {@code max.poll.records}), so
 *     at most that many in one database transaction. A batch is whatever arrived while the previous
 *     poll's were being applied (a lone message goes at once); under load a hot payee's credits
 *     share one commit and one wait on its balance row. 256 keeps a batch's transaction to tens of
 *     milliseconds and its row locks short, while already dividing the per-commit cost by two
 *     orders of magnitude
 * @param consumerCommitIntervalMillis how often acknowledged offsets are committed; a crash
 *     redelivers at most this window, which the inbox turns into no-ops
 * @param consumerGroup the credit-leg consumer group, shared by all instances
 * @param pendingProbeIntervalSeconds how often the age of the oldest PENDING transfer is measured
 *     (the {@code paystream.transfers.pending.oldest.age} gauge)
 * @param pendingWarnSeconds a transfer PENDING longer than this is logged as a warning: its credit
 *     has not been applied, which a healthy credit leg does in milliseconds; far above a heavy
 *     backlog's drain time, so that the warning means a stall, not load
 * @param consumerPollRecordsMax records one poll hands to a consumer that does not set its own
 *     (payout leg, webhook fan-out, recent entries, dead-letter copy): one poll is one batch for
 *     those that batch, and 200 keeps a batch's statement and its memory small while amortising the
 *     round trip
 * @param consumerLagProbeIntervalSeconds how often the credit leg's lag is read into the {@code
 *     paystream.consumer.lag} gauge; 5 s is finer than any alert on it and costs nothing
 * @param producerLingerMillis how long the producer waits to fill a request; the relay sends a
 *     whole batch at once, so 1 ms lets its records share requests without delaying a lone event
 * @param producerInFlightRequestsMax unacknowledged requests per broker connection; the idempotent
 *     producer keeps order within a partition only up to 5, which is also the most throughput
 * @param producerRequestTimeoutMillis how long the producer waits for one request's answer
 *     (including the leader's wait for the in-sync replicas) before it retries: a broker that
 *     vanished without closing its connections (a machine lost, not a process killed) is given up
 *     on after this, and the send goes to the new leader. 15 s is far above a healthy {@code
 *     acks=all} round trip and above the KRaft controller's 9 s fencing of a silent broker
 * @param producerDeliveryTimeoutMillis a send's overall deadline, retries included (Kafka retries a
 *     failed send until this, never by a count): long enough to ride through a leader election,
 *     which takes seconds, several times over. Past it the relay's pass fails, its transaction
 *     rolls back and the rows are sent on the next pass, so an outage delays events, never loses
 *     them; the relay holds its batch's row locks that long, which other instances skip
 * @param adminRequestTimeoutMillis one admin request (topic creation, cluster id) waits this long
 *     for the broker before it is retried within the admin's overall timeout
 * @param adminApiTimeoutMillis an admin call's overall deadline, retries included: topic creation
 *     at start-up is retried by its caller after this, so 10 s is plenty against a live broker
 * @param adminCloseTimeoutMillis how long shutdown waits for the admin client's pending calls
 * @param healthProbeTimeoutMillis a readiness probe that waits longer for the broker reports it
 *     down rather than hanging the probe; 3 s is under Kubernetes' default probe timeout
 * @param streamRestartBackoffMinMillis first delay before a failed background stream (a consumer,
 *     the relay, a sweep) is started again; doubled each time, with jitter
 * @param streamRestartBackoffMaxMillis ceiling of that delay: a broker or database that is down for
 *     long is probed every 30 s, and each failed restart is logged at most that often
 * @param outboxPurgeIntervalSeconds how often each instance deletes the sent rows past {@code
 *     outboxRetentionHours}; every instance does, and concurrent passes skip each other's rows, so
 *     more instances cost a few cheap queries, not contention. Ten minutes: a row outlives the
 *     retention by at most that, and a pass finds little to do
 * @param outboxPurgeBatchSizeMax rows one DELETE removes at most; each batch is its own short
 *     statement, so locks and WAL per statement stay small however large the backlog (the first
 *     pass after an outage of the purge may find millions)
 * @param consumerSessionTimeoutMillis how long a consumer group waits for a silent member (an
 *     instance killed, not stopped) before its partitions go to the others: until then nobody
 *     consumes them, so credits and live events of those partitions wait. Kafka's default is 45 s;
 *     10 s bounds that stall while leaving room for a full GC or a busy machine (heartbeats go
 *     every third of it, from the consumer's own thread)
 * @param outboxLingerMillis while the outbox is busy (its previous pass ended less than this ago),
 *     how long the relay waits after a wake-up before it locks the unsent rows, so that the accepts
 *     committing meanwhile (each with its NOTIFY) share its transaction, its Kafka request and the
 *     credit leg's pass instead of one each. At 100 transfers/s 10 ms makes batches of about two;
 *     it adds at most this to a busy transfer's completion, nothing to an isolated one's; 0 relays
 *     at once
 */
@ConfigurationProperties("paystream.kafka")
public record MessagingProperties(
    @DefaultValue("localhost:9092") String bootstrapServers,
    @DefaultValue("6") int topicPartitions,
    @DefaultValue("1") int topicReplicationFactor,
    @DefaultValue("1") int topicMinInsyncReplicas,
    @DefaultValue("200") int outboxBatchSizeMax,
    @DefaultValue("2") int outboxPollIntervalSeconds,
    @DefaultValue("24") int outboxRetentionHours,
    @DefaultValue("8") int creditRetryAttemptsMax,
    @DefaultValue("50") long creditRetryBackoffMinMillis,
    @DefaultValue("5000") long creditRetryBackoffMaxMillis,
    @DefaultValue("256") int creditBatchMax,
    @DefaultValue("200") long consumerCommitIntervalMillis,
    @DefaultValue("paystream-credit-leg") String consumerGroup,
    @DefaultValue("5") int pendingProbeIntervalSeconds,
    @DefaultValue("60") int pendingWarnSeconds,
    @DefaultValue("200") int consumerPollRecordsMax,
    @DefaultValue("5") int consumerLagProbeIntervalSeconds,
    @DefaultValue("1") int producerLingerMillis,
    @DefaultValue("5") int producerInFlightRequestsMax,
    @DefaultValue("15000") int producerRequestTimeoutMillis,
    @DefaultValue("60000") int producerDeliveryTimeoutMillis,
    @DefaultValue("5000") int adminRequestTimeoutMillis,
    @DefaultValue("10000") int adminApiTimeoutMillis,
    @DefaultValue("2000") long adminCloseTimeoutMillis,
    @DefaultValue("3000") long healthProbeTimeoutMillis,
    @DefaultValue("500") long streamRestartBackoffMinMillis,
    @DefaultValue("30000") long streamRestartBackoffMaxMillis,
    @DefaultValue("600") int outboxPurgeIntervalSeconds,
    @DefaultValue("1000") int outboxPurgeBatchSizeMax,
    @DefaultValue("10000") int consumerSessionTimeoutMillis,
    @DefaultValue("10") int outboxLingerMillis) {

  /**
   * Every backoff of this module varies each delay by +-50 %: instances that failed together (a
   * broker or database restart) do not all retry in the same millisecond.
   */
  public static final double RETRY_JITTER = 0.5;

  private static final String PREFIX = "paystream.kafka.";

  public MessagingProperties {
    checkText(PREFIX + "bootstrap-servers", bootstrapServers);
    check(PREFIX + "topic-partitions", topicPartitions, 1, 10_000);
    check(PREFIX + "topic-replication-factor", topicReplicationFactor, 1, 5);
    check(PREFIX + "topic-min-insync-replicas", topicMinInsyncReplicas, 1, 5);
    if (topicMinInsyncReplicas > topicReplicationFactor) {
      throw new IllegalArgumentException(
          PREFIX
              + "topic-min-insync-replicas ("
              + topicMinInsyncReplicas
              + ") must not exceed "
              + PREFIX
              + "topic-replication-factor ("
              + topicReplicationFactor
              + "): more replicas than exist can never be in sync, and every send would be"
              + " refused");
    }
    check(PREFIX + "outbox-batch-size-max", outboxBatchSizeMax, 1, 10_000);
    check(PREFIX + "outbox-poll-interval-seconds", outboxPollIntervalSeconds, 1, 3_600);
    check(PREFIX + "outbox-retention-hours", outboxRetentionHours, 1, 24 * 366);
    check(PREFIX + "credit-retry-attempts-max", creditRetryAttemptsMax, 0, 100);
    check(PREFIX + "credit-retry-backoff-min-millis", creditRetryBackoffMinMillis, 1, 60_000);
    check(
        PREFIX + "credit-retry-backoff-max-millis",
        creditRetryBackoffMaxMillis,
        creditRetryBackoffMinMillis,
        600_000);
    check(PREFIX + "credit-batch-max", creditBatchMax, 1, 10_000);
    check(PREFIX + "consumer-commit-interval-millis", consumerCommitIntervalMillis, 1, 60_000);
    checkText(PREFIX + "consumer-group", consumerGroup);
    check(PREFIX + "pending-probe-interval-seconds", pendingProbeIntervalSeconds, 1, 3_600);
    check(PREFIX + "pending-warn-seconds", pendingWarnSeconds, 1, 86_400);
    check(PREFIX + "consumer-poll-records-max", consumerPollRecordsMax, 1, 10_000);
    check(
        PREFIX + "consumer-lag-probe-interval-seconds", consumerLagProbeIntervalSeconds, 1, 3_600);
    check(PREFIX + "producer-linger-millis", producerLingerMillis, 0, 1_000);
    check(PREFIX + "producer-in-flight-requests-max", producerInFlightRequestsMax, 1, 5);
    check(PREFIX + "producer-request-timeout-millis", producerRequestTimeoutMillis, 1_000, 300_000);
    // Kafka itself refuses a delivery timeout shorter than linger plus one request.
    check(
        PREFIX + "producer-delivery-timeout-millis",
        producerDeliveryTimeoutMillis,
        (long) producerRequestTimeoutMillis + producerLingerMillis,
        600_000);
    check(PREFIX + "admin-request-timeout-millis", adminRequestTimeoutMillis, 100, 120_000);
    check(
        PREFIX + "admin-api-timeout-millis",
        adminApiTimeoutMillis,
        adminRequestTimeoutMillis,
        600_000);
    check(PREFIX + "admin-close-timeout-millis", adminCloseTimeoutMillis, 0, 60_000);
    check(PREFIX + "health-probe-timeout-millis", healthProbeTimeoutMillis, 100, 60_000);
    check(PREFIX + "stream-restart-backoff-min-millis", streamRestartBackoffMinMillis, 10, 60_000);
    check(
        PREFIX + "stream-restart-backoff-max-millis",
        streamRestartBackoffMaxMillis,
        streamRestartBackoffMinMillis,
        3_600_000);
    check(PREFIX + "outbox-purge-interval-seconds", outboxPurgeIntervalSeconds, 1, 86_400);
    check(PREFIX + "outbox-purge-batch-size-max", outboxPurgeBatchSizeMax, 1, 100_000);
    // The broker accepts 6 s to 30 min (group.min/max.session.timeout.ms, their defaults).
    check(PREFIX + "consumer-session-timeout-millis", consumerSessionTimeoutMillis, 6_000, 300_000);
    check(PREFIX + "outbox-linger-millis", outboxLingerMillis, 0, 1_000);
  }

  public Duration outboxLinger() {
    return Duration.ofMillis(outboxLingerMillis);
  }

  public Duration outboxRetention() {
    return Duration.ofHours(outboxRetentionHours);
  }

  public Duration outboxPurgeInterval() {
    return Duration.ofSeconds(outboxPurgeIntervalSeconds);
  }

  public Duration pendingProbeInterval() {
    return Duration.ofSeconds(pendingProbeIntervalSeconds);
  }

  public Duration pendingWarnAfter() {
    return Duration.ofSeconds(pendingWarnSeconds);
  }

  public Duration outboxPollInterval() {
    return Duration.ofSeconds(outboxPollIntervalSeconds);
  }

  public Duration consumerLagProbeInterval() {
    return Duration.ofSeconds(consumerLagProbeIntervalSeconds);
  }

  public Duration healthProbeTimeout() {
    return Duration.ofMillis(healthProbeTimeoutMillis);
  }

  public Duration adminCloseTimeout() {
    return Duration.ofMillis(adminCloseTimeoutMillis);
  }

  public Duration streamRestartBackoffMin() {
    return Duration.ofMillis(streamRestartBackoffMinMillis);
  }

  public Duration streamRestartBackoffMax() {
    return Duration.ofMillis(streamRestartBackoffMaxMillis);
  }
}
