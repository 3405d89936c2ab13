package io.paystream.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every limit of the messaging module, under {@code paystream.kafka}.
 *
 * @param bootstrapServers the Kafka cluster; the contract's default is a local broker
 * @param topicPartitions partitions per topic: the ceiling on parallel credit-leg consumers across
 *     instances; 6 lets up to 6 instances share the work on a 2-core machine's broker
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
 */
@ConfigurationProperties("paystream.kafka")
public record MessagingProperties(
    @DefaultValue("localhost:9092") String bootstrapServers,
    @DefaultValue("6") int topicPartitions,
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
    @DefaultValue("60") int pendingWarnSeconds) {

  public MessagingProperties {
    if (creditBatchMax < 1) {
      throw new IllegalArgumentException("paystream.kafka.credit-batch-max must be at least 1");
    }
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
}
