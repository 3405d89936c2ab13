package io.paystream.messaging.events;

import io.paystream.persistence.events.EventLogRow;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * One live subscriber of {@link EventFeed}, as a single Reactive Streams subscription: the rows a
 * resume missed (from the recent window, or from PostgreSQL), then the live rows fanned out to its
 * route, each once and in position order, at the pace its subscriber requests.
 *
 * <p>It replaces a chain of Reactor operators (a unicast sink, a concat of replay and live rows, a
 * filter, a merge with the overflow signal, and their subscribers): with tens of thousands of open
 * streams, that chain was about 1.3 KB of each stream's heap and several hand-offs per event. Here
 * an event is put in this subscription's queue by the poller and taken from it by whichever thread
 * drains (the poller, or the subscriber's when it requests more), in the queue-drain pattern of
 * Reactor's own operators: {@link #wip} makes one thread at a time the drainer.
 *
 * <p>The seam between the replay and live rows: the subscription is registered on its route before
 * the replay is read, so a row committed after the replay's read is in the live queue, and one
 * before it is in the replay; live rows at or below the last position sent are dropped.
 *
 * <p>A subscriber that falls {@code bufferMax} live rows behind fails at once with {@link
 * EventFeed.SlowSubscriberException}, ahead of the rows still queued: a stalled client would never
 * drain them, and would silently lose every later event.
 */
final class FeedSubscription implements Subscription, Consumer<EventLogRow> {

  private static final AtomicIntegerFieldUpdater<FeedSubscription> WIP =
      AtomicIntegerFieldUpdater.newUpdater(FeedSubscription.class, "wip");
  private static final AtomicLongFieldUpdater<FeedSubscription> REQUESTED =
      AtomicLongFieldUpdater.newUpdater(FeedSubscription.class, "requested");
  private static final AtomicIntegerFieldUpdater<FeedSubscription> WAITING =
      AtomicIntegerFieldUpdater.newUpdater(FeedSubscription.class, "waiting");
  private static final AtomicReferenceFieldUpdater<FeedSubscription, Throwable> ERROR =
      AtomicReferenceFieldUpdater.newUpdater(FeedSubscription.class, Throwable.class, "error");

  private final CoreSubscriber<? super EventLogRow> actual;
  private final int bufferMax;
  private final Consumer<EventLogRow> deliveredLive;

  /** Live rows, put by the feed's poller (one at a time), taken by the drainer. */
  private final Queue<EventLogRow> live = Queues.<EventLogRow>unbounded(16).get();

  private Runnable unregister;

  // Drainer's state: the replay still to send (rows from memory, or the log's), the last
  // position sent.
  private List<EventLogRow> recent;
  private int recentIndex;
  private Replayed older;
  private long seen;

  /** Held at 1 from construction until {@link #start}, so nothing drains before onSubscribe. */
  private volatile int wip = 1;

  private volatile long requested;
  private volatile int waiting;
  private volatile Throwable error;
  private volatile boolean cancelled;

  /**
   * @param afterSeq the subscriber's last position: live rows at or below it are not sent; -1 for
   *     none
   * @param deliveredLive told of each live row as it is handed to the subscriber
   */
  FeedSubscription(
      CoreSubscriber<? super EventLogRow> actual,
      long afterSeq,
      int bufferMax,
      Consumer<EventLogRow> deliveredLive) {
    this.actual = actual;
    this.seen = afterSeq;
    this.bufferMax = bufferMax;
    this.deliveredLive = deliveredLive;
  }

  /** Called once, after registering this on a route: how to take it off again. */
  void registered(Runnable unregister) {
    this.unregister = unregister;
  }

  /** The missed rows are {@code rows}, read from the recent window. Before {@link #start}. */
  void replayFrom(List<EventLogRow> rows) {
    this.recent = rows;
  }

  /** The missed rows are read from the log by {@code rows}. Before {@link #start}. */
  void replayFrom(Publisher<EventLogRow> rows) {
    this.older = new Replayed(this, rows);
  }

  /** Hands this to the subscriber, starts the replay from the log if any, and drains. */
  void start() {
    actual.onSubscribe(this);
    Replayed replayed = older;
    if (replayed != null && !cancelled) {
      replayed.rows.subscribe(replayed);
    }
    drainFrom(1);
  }

  /** A live row fanned out by the feed's poller; never blocks it. */
  @Override
  public void accept(EventLogRow row) {
    if (cancelled) {
      return;
    }
    if (WAITING.incrementAndGet(this) > bufferMax) {
      // Once: later rows find the stream failing already (the poller is the only caller).
      if (error == null) {
        fail(new EventFeed.SlowSubscriberException(bufferMax));
      }
      return;
    }
    live.offer(row);
    drain();
  }

  @Override
  public void request(long n) {
    if (Operators.validate(n)) {
      Operators.addCap(REQUESTED, this, n);
      drain();
    }
  }

  @Override
  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    release();
    if (WIP.getAndIncrement(this) == 0) {
      clear();
    }
  }

  private void fail(Throwable failure) {
    if (ERROR.compareAndSet(this, null, failure)) {
      drain();
    } else {
      Operators.onErrorDropped(failure, actual.currentContext());
    }
  }

  private void drain() {
    if (WIP.getAndIncrement(this) == 0) {
      drainFrom(1);
    }
  }

  private void drainFrom(int missed) {
    for (; ; ) {
      long wanted = requested;
      long sent = 0;
      for (; ; ) {
        if (cancelled) {
          clear();
          return;
        }
        Throwable failure = error;
        if (failure != null) {
          cancelled = true;
          release();
          clear();
          actual.onError(failure);
          return;
        }
        if (sent == wanted) {
          break;
        }
        EventLogRow row = next();
        if (row == null) {
          break;
        }
        actual.onNext(row);
        sent++;
      }
      if (sent != 0 && wanted != Long.MAX_VALUE) {
        REQUESTED.addAndGet(this, -sent);
      }
      missed = WIP.addAndGet(this, -missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** The next row to send, in order: the replay's, then live rows past the last sent; or null. */
  private EventLogRow next() {
    if (recent != null) {
      if (recentIndex < recent.size()) {
        return sent(recent.get(recentIndex++));
      }
      recent = null;
    }
    Replayed replayed = older;
    if (replayed != null) {
      boolean done = replayed.done;
      EventLogRow row = replayed.queue.poll();
      if (row != null) {
        replayed.taken();
        return sent(row);
      }
      if (!done) {
        return null;
      }
      older = null;
    }
    for (EventLogRow row = live.poll(); row != null; row = live.poll()) {
      WAITING.decrementAndGet(this);
      if (row.seq() > seen) {
        deliveredLive.accept(row);
        return sent(row);
      }
    }
    return null;
  }

  private EventLogRow sent(EventLogRow row) {
    seen = row.seq();
    return row;
  }

  /** Off the route, and the replay from the log stopped; safe to repeat. */
  private void release() {
    Runnable registration = unregister;
    if (registration != null) {
      registration.run();
    }
    Replayed replayed = older;
    if (replayed != null) {
      replayed.cancel();
    }
  }

  private void clear() {
    live.clear();
    recent = null;
    older = null;
  }

  /** The replay from the log, a page of rows ahead of the subscriber at most. */
  private static final class Replayed implements CoreSubscriber<EventLogRow> {

    private static final int PREFETCH = 32;
    private static final int REPLENISH = PREFETCH - PREFETCH / 4;

    private static final AtomicReferenceFieldUpdater<Replayed, Subscription> UPSTREAM =
        AtomicReferenceFieldUpdater.newUpdater(Replayed.class, Subscription.class, "upstream");

    private final FeedSubscription parent;
    private final Publisher<EventLogRow> rows;
    private final Queue<EventLogRow> queue = Queues.<EventLogRow>get(PREFETCH).get();
    private int taken;

    private volatile Subscription upstream;
    private volatile boolean done;

    Replayed(FeedSubscription parent, Publisher<EventLogRow> rows) {
      this.parent = parent;
      this.rows = rows;
    }

    @Override
    public Context currentContext() {
      return parent.actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      if (Operators.setOnce(UPSTREAM, this, subscription)) {
        subscription.request(PREFETCH);
      }
    }

    @Override
    public void onNext(EventLogRow row) {
      if (!queue.offer(row)) {
        onError(Exceptions.failWithOverflow("replay sent more rows than were requested"));
        return;
      }
      parent.drain();
    }

    @Override
    public void onError(Throwable failure) {
      done = true;
      parent.fail(failure);
    }

    @Override
    public void onComplete() {
      done = true;
      parent.drain();
    }

    /** One row taken by the drainer: asks for more once a quarter of the prefetch is left. */
    void taken() {
      if (++taken == REPLENISH) {
        taken = 0;
        upstream.request(REPLENISH);
      }
    }

    void cancel() {
      Operators.terminate(UPSTREAM, this);
    }
  }
}
