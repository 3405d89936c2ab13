package io.paystream.api.money;

import io.micrometer.core.instrument.DistributionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Coalesces concurrent submissions into batches, at most {@code inFlightMax} batches running at
 * once, each of at most {@code batchMax} items in submission order. Without a linger there is no
 * timer: a submission that finds a free slot starts a batch at once (alone, on an idle system);
 * while every slot is busy, submissions queue and the next free slot takes all of them. Batches
 * grow with the load, and latency at low load stays that of one transaction.
 *
 * <p>With a {@code linger}, a batch that is not full waits until its oldest item has waited that
 * long, so that submissions arriving meanwhile join it: at a low, steady rate r per instance a
 * batch holds about {@code 1 + r * linger} items instead of one, and every item waits up to {@code
 * linger} more. Items that already waited for a slot that long start at once.
 *
 * <p>At most {@code queueMax} submissions wait; one more is refused at once with {@link Full}, so
 * an overload shows as quick refusals instead of a queue whose wait outgrows every client's
 * timeout.
 *
 * <p>A batch runs to its end whatever its submitters do: cancelling the Mono of {@link #submit}
 * stops waiting for the answer, not the work. {@code run} must answer one output per input, in
 * order; if it fails (or answers the wrong count), every item of the batch fails with that error.
 */
final class GroupCommit<I, O> {

  private final int batchMax;
  private final int inFlightMax;
  private final int queueMax;
  private final long lingerNanos;
  private final Scheduler timer;
  private final AtomicBoolean timerSet = new AtomicBoolean();
  private final Function<List<I>, Mono<List<O>>> run;
  private final DistributionSummary batchSizes;
  private final Queue<Waiting<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger drains = new AtomicInteger();

  /** A submission refused because {@code queueMax} others are already waiting. */
  static final class Full extends RuntimeException {

    Full(int queueMax) {
      super(queueMax + " submissions are already waiting for a batch", null, false, false);
    }
  }

  /** Without a linger: a batch starts as soon as a slot is free. */
  GroupCommit(
      int batchMax,
      int inFlightMax,
      int queueMax,
      Function<List<I>, Mono<List<O>>> run,
      DistributionSummary batchSizes) {
    this(batchMax, inFlightMax, queueMax, Duration.ZERO, Schedulers.parallel(), run, batchSizes);
  }

  /**
   * @param linger how long a batch that is not full may wait for more items, counted from its
   *     oldest item's submission; zero starts it at once
   * @param timer where a lingering batch is started from, and the clock it is timed by
   */
  GroupCommit(
      int batchMax,
      int inFlightMax,
      int queueMax,
      Duration linger,
      Scheduler timer,
      Function<List<I>, Mono<List<O>>> run,
      DistributionSummary batchSizes) {
    if (batchMax < 1 || inFlightMax < 1 || queueMax < 1) {
      throw new IllegalArgumentException("batchMax, inFlightMax and queueMax must be at least 1");
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative: " + linger);
    }
    this.batchMax = batchMax;
    this.inFlightMax = inFlightMax;
    this.queueMax = queueMax;
    this.lingerNanos = linger.toNanos();
    this.timer = timer;
    this.run = run;
    this.batchSizes = batchSizes;
  }

  Mono<O> submit(I item) {
    return Mono.defer(
        () -> {
          if (queued.incrementAndGet() > queueMax) {
            queued.decrementAndGet();
            return Mono.error(new Full(queueMax));
          }
          Sinks.One<O> answer = Sinks.one();
          queue.offer(new Waiting<>(item, answer, timer.now(TimeUnit.NANOSECONDS)));
          drain();
          return answer.asMono();
        });
  }

  /** Items waiting for a slot (for a gauge). */
  int queued() {
    return queued.get();
  }

  /**
   * Starts batches while there are items and free slots. One thread drains at a time; a call that
   * finds another draining leaves it a note to look again, so no item is stranded.
   */
  private void drain() {
    if (drains.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      while (!queue.isEmpty() && inFlight.get() < inFlightMax && !lingering()) {
        List<Waiting<I, O>> batch = new ArrayList<>();
        Waiting<I, O> next;
        while (batch.size() < batchMax && (next = queue.poll()) != null) {
          queued.decrementAndGet();
          batch.add(next);
        }
        if (batch.isEmpty()) {
          break;
        }
        inFlight.incrementAndGet();
        start(batch);
      }
      missed = drains.addAndGet(-missed);
    } while (missed != 0);
  }

  /**
   * Whether the next batch should wait: it is not full and its oldest item has not waited {@code
   * linger} yet. Then a timer drains again when it has (one timer at a time; the one set for an
   * earlier oldest item drains, finds this, and sets the next).
   */
  private boolean lingering() {
    if (lingerNanos == 0 || queued.get() >= batchMax) {
      return false;
    }
    Waiting<I, O> oldest = queue.peek();
    if (oldest == null) {
      return false;
    }
    long left = oldest.submittedNanos() + lingerNanos - timer.now(TimeUnit.NANOSECONDS);
    if (left <= 0) {
      return false;
    }
    if (timerSet.compareAndSet(false, true)) {
      timer.schedule(
          () -> {
            timerSet.set(false);
            drain();
          },
          left,
          TimeUnit.NANOSECONDS);
    }
    return true;
  }

  private void start(List<Waiting<I, O>> batch) {
    batchSizes.record(batch.size());
    List<I> items = batch.stream().map(Waiting::item).toList();
    Mono.defer(() -> run.apply(items))
        .switchIfEmpty(Mono.error(() -> new IllegalStateException("a batch ended without answers")))
        .doFinally(
            signal -> {
              inFlight.decrementAndGet();
              drain();
            })
        .subscribe(
            outputs -> {
              if (outputs.size() != batch.size()) {
                fail(
                    batch,
                    new IllegalStateException(
                        outputs.size() + " answers for a batch of " + batch.size()));
                return;
              }
              for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().tryEmitValue(outputs.get(i));
              }
            },
            failure -> fail(batch, failure));
  }

  private static <I, O> void fail(List<Waiting<I, O>> batch, Throwable failure) {
    batch.forEach(waiting -> waiting.answer().tryEmitError(failure));
  }

  private record Waiting<I, O>(I item, Sinks.One<O> answer, long submittedNanos) {}
}
