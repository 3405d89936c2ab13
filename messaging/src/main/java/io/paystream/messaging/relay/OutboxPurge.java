package io.paystream.messaging.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingProperties;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.outbox.OutboxStore.PurgedBatch;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes outbox rows sent more than {@code outboxRetentionHours} ago: they have been delivered,
 * and the outbox is the table every money movement writes, so without this it grows forever.
 *
 * <p>A pass deletes in batches of at most {@code outboxPurgeBatchSizeMax} rows, lowest id first,
 * each batch its own short statement, and stops before the first row sent within the retention: the
 * relay sends in id order, so the rows past it are to be kept, and the pass never reads them. A row
 * sent late (after an outage of Kafka) thus holds the rows after it back until it, too, is past the
 * retention. Every instance runs a pass every {@code outboxPurgeIntervalSeconds}; concurrent passes
 * skip the rows the other holds. A failed pass is logged and tried again next time.
 */
@Component
public class OutboxPurge {

  private static final Logger log = LoggerFactory.getLogger(OutboxPurge.class);

  private final OutboxStore outbox;
  private final MessagingProperties properties;
  private final Clock clock;
  private final Counter purged;

  public OutboxPurge(
      OutboxStore outbox, MessagingProperties properties, Clock clock, MeterRegistry meters) {
    this.outbox = outbox;
    this.properties = properties;
    this.clock = clock;
    this.purged =
        Counter.builder("paystream.outbox.purged")
            .description("sent outbox rows deleted after the retention")
            .register(meters);
  }

  /** A pass every purge interval, for the life of the subscription; emits each pass's count. */
  public Flux<Long> run() {
    return Flux.interval(properties.outboxPurgeInterval())
        .onBackpressureDrop()
        .concatMap(
            tick ->
                purge()
                    .onErrorResume(
                        error -> {
                          log.warn(
                              "outbox purge failed, tried again next time: {}", error.toString());
                          return Mono.empty();
                        }),
            1);
  }

  /** One pass; emits how many rows it deleted. */
  public Mono<Long> purge() {
    Instant sentBefore = Timestamps.now(clock).minus(properties.outboxRetention());
    int batchMax = properties.outboxPurgeBatchSizeMax();
    return outbox
        .firstIdSentSince(sentBefore)
        .defaultIfEmpty(Long.MAX_VALUE)
        .flatMap(
            untilId ->
                outbox
                    .purgeSentBatch(sentBefore, Long.MIN_VALUE, untilId, batchMax)
                    .expand(
                        batch ->
                            batch.rows() == batchMax
                                ? outbox.purgeSentBatch(
                                    sentBefore, batch.lastId(), untilId, batchMax)
                                : Mono.empty())
                    .map(PurgedBatch::rows)
                    .reduce(0L, Long::sum))
        .doOnNext(
            rows -> {
              purged.increment(rows);
              if (rows > 0) {
                log.info("purged {} sent outbox rows older than {}", rows, sentBefore);
              }
            });
  }
}
