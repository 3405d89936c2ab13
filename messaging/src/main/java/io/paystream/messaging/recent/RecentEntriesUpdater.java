package io.paystream.messaging.recent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingProperties;
import io.paystream.persistence.ledger.SequencedEntries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Keeps the recent-entries cache ({@link RecentEntriesRedis}) current after the credit leg's pass
 * committed a batch: one PostgreSQL read for the customer entries of all its movements, then one
 * Redis script per account (so a hot account's burst costs one script, not one per event). Adding
 * is idempotent, so a redelivered batch is harmless. It runs after the commit, never inside the
 * transaction: the cache must only ever hold committed entries, and a reader never sees a partial
 * set, because each account's change is one script over whole movements.
 *
 * <p>A failure (Redis down or slow) is retried a few times inside the pass, then the movements go
 * to a backlog that {@link #repair()} retries every {@code updateRetryBackoffMaxMillis}: credits go
 * on during a Redis outage, and the cache catches up when Redis is back. The backlog lives in
 * memory; should the instance die before it drains, the sets it held are stale for at most {@link
 * RecentProperties#warmSeconds()} (a warm snapshot expires and is rebuilt from PostgreSQL), the
 * same bound as a set that missed an update any other way.
 */
@Component
public class RecentEntriesUpdater {

  private static final Logger log = LoggerFactory.getLogger(RecentEntriesUpdater.class);

  private final RecentEntriesRedis recent;
  private final SequencedEntries entries;
  private final RecentProperties properties;
  private final Set<UUID> backlog = new LinkedHashSet<>();
  private final Counter dropped;

  public RecentEntriesUpdater(
      RecentEntriesRedis recent,
      SequencedEntries entries,
      RecentProperties properties,
      MeterRegistry meters) {
    this.recent = recent;
    this.entries = entries;
    this.properties = properties;
    this.dropped =
        Counter.builder("paystream.recent.repair.dropped")
            .description(
                "movements dropped from a full repair backlog; their sets are stale until they"
                    + " expire")
            .register(meters);
    Gauge.builder("paystream.recent.repair.backlog", this, RecentEntriesUpdater::backlogSize)
        .description("movements whose recent-entries update waits for Redis")
        .register(meters);
  }

  /**
   * Adds the customer entries of {@code movements} to their accounts' sets. Never fails: what it
   * cannot write after its retries goes to the repair backlog.
   */
  public Mono<Void> update(Collection<UUID> movements) {
    if (movements.isEmpty()) {
      return Mono.empty();
    }
    return write(movements)
        .retryWhen(
            Retry.backoff(properties.updateRetryAttemptsMax(), properties.updateRetryBackoffMin())
                .maxBackoff(properties.updateRetryBackoffMax())
                .jitter(MessagingProperties.RETRY_JITTER))
        .onErrorResume(
            error -> {
              log.warn(
                  "recent entries of {} movement(s) wait for the repair: {}",
                  movements.size(),
                  rootCause(error).toString());
              hold(movements);
              return Mono.empty();
            });
  }

  /**
   * Retries the backlog every {@code updateRetryBackoffMaxMillis}, for as long as it is subscribed
   * (the messaging lifecycle keeps it running); emits the movements written.
   */
  public Flux<Integer> repair() {
    // A repair slower than the interval (Redis timing out) skips the ticks it overlaps.
    return Flux.interval(properties.updateRetryBackoffMax())
        .onBackpressureDrop()
        .concatMap(
            tick -> {
              List<UUID> held = take(properties.repairBacklogMax());
              if (held.isEmpty()) {
                return Mono.<Integer>empty();
              }
              return write(held)
                  .thenReturn(held.size())
                  .doOnNext(
                      written -> log.info("recent entries repaired for {} movement(s)", written))
                  .onErrorResume(
                      error -> {
                        hold(held);
                        return Mono.empty();
                      });
            });
  }

  private Mono<Void> write(Collection<UUID> movements) {
    return Mono.defer(() -> entries.ofMovements(movements).collectList().flatMap(recent::add));
  }

  private synchronized void hold(Collection<UUID> movements) {
    backlog.addAll(movements);
    Iterator<UUID> oldest = backlog.iterator();
    while (backlog.size() > properties.repairBacklogMax()) {
      oldest.next();
      oldest.remove();
      dropped.increment();
    }
  }

  private synchronized List<UUID> take(int max) {
    List<UUID> taken = new ArrayList<>(Math.min(max, backlog.size()));
    Iterator<UUID> oldest = backlog.iterator();
    while (oldest.hasNext() && taken.size() < max) {
      taken.add(oldest.next());
      oldest.remove();
    }
    return taken;
  }

  private synchronized int backlogSize() {
    return backlog.size();
  }

  private static Throwable rootCause(Throwable error) {
    return reactor.core.Exceptions.isRetryExhausted(error) && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
