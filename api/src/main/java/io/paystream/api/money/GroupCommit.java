package io.paystream.api.money;

import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Coalesces concurrent submissions into batches, at most {@code inFlightMax} batches running at
 * once, each of at most {@code batchMax} items in submission order. No timer: a submission that
 * finds a free slot starts a batch at once (alone, on an idle system); while every slot is busy,
 * submissions queue and the next free slot takes all of them. Batches grow with the load, and
 * latency at low load stays that of one transaction.
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

  GroupCommit(
      int batchMax,
      int inFlightMax,
      int queueMax,
      Function<List<I>, Mono<List<O>>> run,
      DistributionSummary batchSizes) {
    if (batchMax < 1 || inFlightMax < 1 || queueMax < 1) {
      throw new IllegalArgumentException("batchMax, inFlightMax and queueMax must be at least 1");
    }
    this.batchMax = batchMax;
    this.inFlightMax = inFlightMax;
    this.queueMax = queueMax;
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
          queue.offer(new Waiting<>(item, answer));
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
      while (!queue.isEmpty() && inFlight.get() < inFlightMax) {
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

  private record Waiting<I, O>(I item, Sinks.One<O> answer) {}
}
