package io.paystream.messaging.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the event log and its fan-out, under {@code paystream.events}. A record of its own
 * rather than more components on {@code MessagingProperties}: the feature is self-contained and
 * other work edits that record concurrently.
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
 *     resumes with Last-Event-ID); 256 events of ~400 bytes caps one client near 100 KiB. Rounded
 *     up to a power of two, at least 8 (the lock-free queue's shape)
 * @param retentionHours the contract's minimum replay window is 24 hours
 * @param purgeIntervalMinutes how often old events are deleted; any instance may do it
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
    @DefaultValue("10") int purgeIntervalMinutes) {

  public Duration pollInterval() {
    return Duration.ofMillis(pollIntervalMillis);
  }

  public Duration retention() {
    return Duration.ofHours(retentionHours);
  }
}
