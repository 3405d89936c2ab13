package io.paystream.api.recent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Coalesces the forgetting of accounts' recent entries after writes: one Redis call at a time, for
 * every account whose write committed while the call before it ran. Each write's answer still waits
 * for its own account to be forgotten (read-your-writes is kept), but at load a group commit batch
 * of transfers costs one {@code DEL} instead of one per transfer. No timer: a forget that finds no
 * call in flight goes out at once, so an idle system waits for one round trip as before.
 *
 * <p>Bounded: at most {@code batchMax} accounts per call and {@code queueMax} waiting; a forget
 * beyond that is made alone, so it is never refused and never waits behind the queue. A failed call
 * fails every forget of its batch; the caller treats that as it treats a failed single {@code DEL}.
 */
final class Forgetting {

  private final int batchMax;
  private final int queueMax;
  private final Function<Set<UUID>, Mono<Void>> forget;
  private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger drains = new AtomicInteger();

  /**
   * @param forget deletes the sets of all the given accounts in one call; completes when they are
   *     gone
   */
  Forgetting(int batchMax, int queueMax, Function<Set<UUID>, Mono<Void>> forget) {
    if (batchMax < 1 || queueMax < 1) {
      throw new IllegalArgumentException("batchMax and queueMax must be at least 1");
    }
    this.batchMax = batchMax;
    this.queueMax = queueMax;
    this.forget = forget;
  }

  /** Completes once {@code account}'s set is gone from Redis; fails if Redis failed. */
  Mono<Void> forget(UUID account) {
    return Mono.defer(
        () -> {
          if (queued.incrementAndGet() > queueMax) {
            queued.decrementAndGet();
            return forget.apply(Set.of(account));
          }
          Sinks.Empty<Void> done = Sinks.empty();
          queue.offer(new Waiting(account, done));
          drain();
          return done.asMono();
        });
  }

  /**
   * As {@code GroupCommit.drain}: one thread drains at a time; a missed call is looked at again.
   */
  private void drain() {
    if (drains.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      if (inFlight.get() == 0 && !queue.isEmpty()) {
        List<Waiting> batch = new ArrayList<>();
        Waiting next;
        while (batch.size() < batchMax && (next = queue.poll()) != null) {
          queued.decrementAndGet();
          batch.add(next);
        }
        inFlight.incrementAndGet();
        start(batch);
      }
      missed = drains.addAndGet(-missed);
    } while (missed != 0);
  }

  private void start(List<Waiting> batch) {
    Set<UUID> accounts = new LinkedHashSet<>();
    batch.forEach(waiting -> accounts.add(waiting.account()));
    Mono.defer(() -> forget.apply(accounts))
        .doFinally(
            signal -> {
              inFlight.decrementAndGet();
              drain();
            })
        .subscribe(
            null,
            failure -> batch.forEach(waiting -> waiting.done().tryEmitError(failure)),
            () -> batch.forEach(waiting -> waiting.done().tryEmitEmpty()));
  }

  private record Waiting(UUID account, Sinks.Empty<Void> done) {}
}
