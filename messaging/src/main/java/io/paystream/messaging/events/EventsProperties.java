package io.paystream.messaging.events;

import static io.paystream.messaging.ConfigurationBounds.check;
import static io.paystream.messaging.ConfigurationBounds.checkText;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the event log and its fan-out, under {@code paystream.events}. A record of its own
 * rather than more components on {@code MessagingProperties}: the feature is self-contained and
 * other work edits that record concurrently. Each is checked against its range at start-up.
 *
 * @param sequencerGroup the Kafka consumer group that sequences events into the log; one group
 *     across instances, so every event is sequenced once (a redelivery is a no-op by event id)
 * @param sequencerBatchSizeMax events sequenced per database transaction at most (one Kafka poll):
 *     amortises the commit and the serialising lock, while keeping each hold of that lock to
 *     milliseconds. A batch is what arrived while the previous one was sequenced; a lone event goes
 *     at once
 * @param pollIntervalMillis each instance's safety net for a lost NOTIFY (a restart of the
 *     listening connection); NOTIFY is the normal wake-up
 * @param pollBatchSizeMax rows one poll reads before fanning them out; bounds the memory one pass
 *     holds, the next pass continues where it stopped
 * @param replayPageSizeMax rows one replay query reads; a resume after a long absence pages
 * @param subscriberBufferMax events waiting for one slow subscriber before it is disconnected (it
 *     resumes with Last-Event-ID); 256 events of ~400 bytes caps one client near 100 KiB
 * @param retentionHours the contract's minimum replay window is 24 hours, so less is refused
 * @param purgeIntervalMinutes how often old events are deleted; any instance may do it
 * @param sequencerRetryAttemptsMax retries of one batch's append (database unavailable, a deadlock)
 *     before the sequencer gives up on the poll: with the backoff below about 11 s, which rides out
 *     a PostgreSQL restart without leaving the consumer group. Giving up fails the stream, which is
 *     restarted and resumes from the last committed offset, so nothing is skipped
 * @param sequencerRetryBackoffMinMillis first retry delay, doubled each attempt: short, because the
 *     sequencer holds back every live stream while it waits
 * @param sequencerRetryBackoffMaxMillis ceiling of one retry delay
 */
@ConfigurationProperties("paystream.events")
public record EventsProperties(
    @DefaultValue("paystream-event-log") String sequencerGroup,
    @DefaultValue("200") int sequencerBatchSizeMax,
    @DefaultValue("1000") long pollIntervalMillis,
    @DefaultValue("500") int pollBatchSizeMax,
    @DefaultValue("500") int replayPageSizeMax,
    @DefaultValue("256") int subscriberBufferMax,
    @DefaultValue("24") int retentionHours,
    @DefaultValue("10") int purgeIntervalMinutes,
    @DefaultValue("8") int sequencerRetryAttemptsMax,
    @DefaultValue("50") long sequencerRetryBackoffMinMillis,
    @DefaultValue("5000") long sequencerRetryBackoffMaxMillis) {

  private static final String PREFIX = "paystream.events.";

  public EventsProperties {
    checkText(PREFIX + "sequencer-group", sequencerGroup);
    check(PREFIX + "sequencer-batch-size-max", sequencerBatchSizeMax, 1, 10_000);
    check(PREFIX + "poll-interval-millis", pollIntervalMillis, 10, 60_000);
    check(PREFIX + "poll-batch-size-max", pollBatchSizeMax, 1, 10_000);
    check(PREFIX + "replay-page-size-max", replayPageSizeMax, 1, 10_000);
    check(PREFIX + "subscriber-buffer-max", subscriberBufferMax, 1, 65_536);
    check(PREFIX + "retention-hours", retentionHours, 24, 24 * 366);
    check(PREFIX + "purge-interval-minutes", purgeIntervalMinutes, 1, 24 * 60);
    check(PREFIX + "sequencer-retry-attempts-max", sequencerRetryAttemptsMax, 0, 100);
    check(PREFIX + "sequencer-retry-backoff-min-millis", sequencerRetryBackoffMinMillis, 1, 60_000);
    check(
        PREFIX + "sequencer-retry-backoff-max-millis",
        sequencerRetryBackoffMaxMillis,
        sequencerRetryBackoffMinMillis,
        600_000);
  }

  public Duration pollInterval() {
    return Duration.ofMillis(pollIntervalMillis);
  }

  public Duration retention() {
    return Duration.ofHours(retentionHours);
  }

  public Duration sequencerRetryBackoffMin() {
    return Duration.ofMillis(sequencerRetryBackoffMinMillis);
  }

  public Duration sequencerRetryBackoffMax() {
    return Duration.ofMillis(sequencerRetryBackoffMaxMillis);
  }
}
