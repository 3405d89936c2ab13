package io.paystream.messaging.events;

import static io.paystream.messaging.ConfigurationBounds.check;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the event log and its fan-out, under {@code paystream.events}. A record of its own
 * rather than more components on {@code MessagingProperties}: the feature is self-contained and
 * other work edits that record concurrently. Each is checked against its range at start-up.
 *
 * @param pollIntervalMillis each instance's safety net for a lost NOTIFY (a restart of the
 *     listening connection); NOTIFY is the normal wake-up
 * @param pollBatchSizeMax rows one poll reads before fanning them out; bounds the memory one pass
 *     holds, the next pass continues where it stopped
 * @param replayPageSizeMax rows one replay query reads; a resume after a long absence pages
 * @param subscriberBufferMax events waiting for one slow subscriber before it is disconnected (it
 *     resumes with Last-Event-ID); 256 events of ~400 bytes caps one client near 100 KiB
 * @param retentionHours the contract's minimum replay window is 24 hours, so less is refused
 * @param purgeIntervalMinutes how often old events are deleted; any instance may do it
 * @param replayWindowRows the last rows each instance keeps in memory to answer resumes from
 *     (EventFeed's recent window): a client resuming from a position the window covers is replayed
 *     from it, with no query; an older position, or one from before the instance started, is
 *     replayed from PostgreSQL. 20 000 rows of ~400 bytes of data hold about 16 MB and, at 200
 *     events a second, the last 100 s; 0 turns the window off
 */
@ConfigurationProperties("paystream.events")
public record EventsProperties(
    @DefaultValue("1000") long pollIntervalMillis,
    @DefaultValue("500") int pollBatchSizeMax,
    @DefaultValue("500") int replayPageSizeMax,
    @DefaultValue("256") int subscriberBufferMax,
    @DefaultValue("24") int retentionHours,
    @DefaultValue("10") int purgeIntervalMinutes,
    @DefaultValue("20000") int replayWindowRows) {

  private static final String PREFIX = "paystream.events.";

  public EventsProperties {
    check(PREFIX + "poll-interval-millis", pollIntervalMillis, 10, 60_000);
    check(PREFIX + "poll-batch-size-max", pollBatchSizeMax, 1, 10_000);
    check(PREFIX + "replay-page-size-max", replayPageSizeMax, 1, 10_000);
    check(PREFIX + "subscriber-buffer-max", subscriberBufferMax, 1, 65_536);
    check(PREFIX + "retention-hours", retentionHours, 24, 24 * 366);
    check(PREFIX + "purge-interval-minutes", purgeIntervalMinutes, 1, 24 * 60);
    check(PREFIX + "replay-window-rows", replayWindowRows, 0, 1_000_000);
  }

  public Duration pollInterval() {
    return Duration.ofMillis(pollIntervalMillis);
  }

  public Duration retention() {
    return Duration.ofHours(retentionHours);
  }
}
