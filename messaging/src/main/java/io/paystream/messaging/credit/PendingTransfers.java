package io.paystream.messaging.credit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingProperties;
import io.paystream.persistence.transfer.TransferStore;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Makes a stalled credit leg loud. A transfer stays PENDING only until its credit is applied,
 * milliseconds when the pipeline is healthy; if its message is stranded anywhere (relay, broker,
 * consumer), nothing fails and nothing else would tell. This measures the age of the oldest PENDING
 * transfer into the {@code paystream.transfers.pending.oldest.age} gauge (seconds, 0 when none),
 * for alerting, and logs a warning, once per transfer, when it passes {@code pendingWarnSeconds}.
 */
@Component
public class PendingTransfers {

  private static final Logger log = LoggerFactory.getLogger(PendingTransfers.class);

  private final TransferStore transfers;
  private final MessagingProperties properties;
  private final Clock clock;
  private final AtomicLong oldestAgeMillis = new AtomicLong();
  private final AtomicReference<UUID> lastWarned = new AtomicReference<>();

  public PendingTransfers(
      TransferStore transfers, MessagingProperties properties, Clock clock, MeterRegistry meters) {
    this.transfers = transfers;
    this.properties = properties;
    this.clock = clock;
    Gauge.builder(
            "paystream.transfers.pending.oldest.age",
            oldestAgeMillis,
            millis -> millis.get() / 1000.0)
        .description(
            "how long the oldest PENDING transfer has waited for its credit, as last"
                + " measured; 0 when none is pending")
        .baseUnit("seconds")
        .register(meters);
  }

  /** The oldest PENDING transfer as last measured: which, and for how long. */
  public record Oldest(UUID transferId, Duration age, boolean stalled) {}

  /** Measures every {@code pendingProbeIntervalSeconds} until cancelled. */
  public Flux<Oldest> run() {
    return Flux.interval(properties.pendingProbeInterval())
        .onBackpressureDrop()
        .concatMap(
            tick ->
                measure()
                    .onErrorResume(
                        error -> {
                          log.debug(
                              "oldest-pending probe failed, measuring again later: {}",
                              error.toString());
                          return Mono.empty();
                        }),
            0);
  }

  /**
   * One measurement: updates the gauge and emits the oldest PENDING transfer, or completes empty
   * (the gauge back at 0) when none is.
   */
  public Mono<Oldest> measure() {
    return transfers
        .oldestPending()
        .map(
            transfer -> {
              Duration age = Duration.between(transfer.createdAt(), clock.instant());
              return new Oldest(
                  transfer.id(), age, age.compareTo(properties.pendingWarnAfter()) > 0);
            })
        .doOnNext(
            oldest -> {
              oldestAgeMillis.set(Math.max(0, oldest.age().toMillis()));
              if (oldest.stalled()
                  && !oldest.transferId().equals(lastWarned.getAndSet(oldest.transferId()))) {
                log.warn(
                    "transfer {} has been PENDING for {} s without its credit; look at"
                        + " paystream_outbox_backlog, paystream_consumer_lag and the dead-letter topic",
                    oldest.transferId(),
                    oldest.age().toSeconds());
              }
            })
        .switchIfEmpty(Mono.fromRunnable(() -> oldestAgeMillis.set(0)));
  }
}
