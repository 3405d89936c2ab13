package io.paystream.messaging.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paystream.persistence.events.EventLogRow;
import io.paystream.persistence.events.EventLogStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This instance's view of the event log: one poller reads {@code seq > last} whenever a NOTIFY (or
 * the safety-net tick) says new positions committed, and fans each row out in memory to every
 * subscriber of this instance. Any instance serves any stream, because every instance reads the
 * same log.
 *
 * <p>{@link #subscribe} joins a replay from PostgreSQL to the live feed without a gap or a
 * duplicate at the seam: it subscribes to the live feed first (buffering), then replays from the
 * database everything after the client's position, then releases the buffered live rows whose
 * position is beyond the last replayed one. A row committed after the replay query is fanned out
 * after the live subscription existed, so it is in the buffer; one committed before is in the
 * replay; the position filter drops what is in both.
 */
@Component
@EnableConfigurationProperties(EventsProperties.class)
public class EventFeed {

  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);

  private final EventLogStore eventLog;
  private final EventsProperties properties;
  private final Clock clock;
  private final Timer deliveryLag;
  private final LiveRoutes routes = new LiveRoutes();
  private final RecentWindow window;
  private final Counter replaysFromMemory;
  private final Counter replaysFromDatabase;
  private final Sinks.Empty<Void> ready = Sinks.empty();
  private final AtomicLong published = new AtomicLong(-1);
  private final Consumer<EventLogRow> recordLag = this::recordLag;
  private volatile boolean serving;

  public EventFeed(
      EventLogStore eventLog, EventsProperties properties, Clock clock, MeterRegistry meters) {
    this.eventLog = eventLog;
    this.properties = properties;
    this.clock = clock;
    this.deliveryLag =
        Timer.builder("paystream.events.delivery.lag")
            .description("from the business commit of an event to its hand-over to a live stream")
            .publishPercentileHistogram()
            // Exact bucket bounds at the delivery aims, so "within 100 ms" is read, not
            // interpolated.
            .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100))
            .register(meters);
    this.window = new RecentWindow(properties.replayWindowRows());
    this.replaysFromMemory = replays(meters, "memory");
    this.replaysFromDatabase = replays(meters, "database");
    Gauge.builder("paystream.events.replay.window.rows", window, RecentWindow::size)
        .description("rows this instance keeps in memory to answer resumes from")
        .register(meters);
  }

  private static Counter replays(MeterRegistry meters, String source) {
    return Counter.builder("paystream.events.replays")
        .description("resumes with Last-Event-ID, by where their missed rows were read")
        .tag("source", source)
        .register(meters);
  }

  /**
   * The poll loop: starts at the current end of the log, with the window filled from the log's
   * latest rows, then drains on every element of {@code wakeUps}. Signals arriving while draining
   * collapse into one.
   */
  public Flux<Integer> run(Flux<?> wakeUps) {
    Mono<Void> start =
        published.get() >= 0
            ? Mono.empty()
            : eventLog
                .maxSeq()
                .flatMap(this::latestRows)
                .doOnNext(
                    latest -> {
                      if (published.compareAndSet(-1, latest.end())) {
                        window.startWith(latest.after(), latest.rows());
                      }
                      serving = true;
                      ready.tryEmitEmpty();
                    })
                .then();
    return start.thenMany(
        wakeUps
            .onBackpressureLatest()
            .concatMap(
                signal ->
                    drain()
                        .onErrorResume(
                            error -> {
                              log.warn(
                                  "event feed poll failed; retried on the next signal: {}",
                                  error.toString());
                              return Mono.just(0);
                            }),
                1));
  }

  /**
   * The rows up to {@code end} that fit the window, read once at start: every row after {@code end
   * - capacity}. Positions are only ever added at the end of the log, so none below {@code end} can
   * appear later; rows past {@code end} committed meanwhile are left to the poller.
   */
  private Mono<Latest> latestRows(long end) {
    long after = Math.max(0, end - window.capacity());
    if (after >= end) {
      return Mono.just(new Latest(end, end, List.of()));
    }
    return eventLog
        .after(after, (int) (end - after))
        .filter(row -> row.seq() <= end)
        .collectList()
        .map(rows -> new Latest(end, after, rows));
  }

  /** The end of the log at start, and the rows after {@code after} up to it. */
  private record Latest(long end, long after, List<EventLogRow> rows) {}

  /** Reads and fans out pages until one comes back short; emits the number of rows. */
  Mono<Integer> drain() {
    return pollOnce()
        .expand(count -> count == properties.pollBatchSizeMax() ? pollOnce() : Mono.empty())
        .reduce(0, Integer::sum);
  }

  private Mono<Integer> pollOnce() {
    return eventLog
        .after(published.get(), properties.pollBatchSizeMax())
        .collectList()
        .doOnNext(this::publish)
        .map(List::size);
  }

  private void publish(List<EventLogRow> rows) {
    for (EventLogRow row : rows) {
      published.set(row.seq());
      // In the window before any subscriber has it: a subscriber that registers after this and
      // reads the window finds it there (and drops it from its live buffer by position).
      window.append(row);
      // Each matching subscriber's own bounded buffer decides: never blocks the poller.
      routes.publish(row);
    }
  }

  /** The position last fanned out by this instance, or -1 before the poller started. */
  public long publishedSeq() {
    return published.get();
  }

  /**
   * The rows on {@code route}: when {@code replay} is given, every row after its position first
   * (from the recent window when it covers the position, else from PostgreSQL, paged; the replay's
   * query must select the route's rows), then live rows, in position order, each once.
   *
   * <p>A subscriber that falls {@code subscriberBufferMax} rows behind fails with {@link
   * SlowSubscriberException}; the caller closes the stream, and the client resumes. Each
   * subscription is one {@link FeedSubscription}.
   */
  public Flux<EventLogRow> subscribe(Route route, Replay replay) {
    return new Live(route, replay);
  }

  /** What {@link #subscribe} returns: each subscriber gets its own {@link FeedSubscription}. */
  private final class Live extends Flux<EventLogRow> {

    private final Route route;
    private final Replay replay;

    Live(Route route, Replay replay) {
      this.route = route;
      this.replay = replay;
    }

    @Override
    public void subscribe(CoreSubscriber<? super EventLogRow> actual) {
      if (!serving) {
        // Only before the poller has loaded the window: wait for it, then subscribe again.
        ready.asMono().thenMany(this).subscribe(actual);
        return;
      }
      FeedSubscription subscription =
          new FeedSubscription(
              actual,
              replay == null ? -1 : replay.afterSeq(),
              properties.subscriberBufferMax(),
              recordLag);
      // Registered before the replay is read, so no row falls between the two.
      subscription.registered(routes.add(route, subscription));
      if (replay != null) {
        List<EventLogRow> recent = window.after(replay.afterSeq(), route);
        if (recent != null) {
          replaysFromMemory.increment();
          subscription.replayFrom(recent);
        } else {
          replaysFromDatabase.increment();
          subscription.replayFrom(replayAll(replay));
        }
      }
      subscription.start();
    }
  }

  private void recordLag(EventLogRow row) {
    deliveryLag.record(Duration.between(row.occurredAt(), clock.instant()));
  }

  /** Live subscriptions open on this instance; for tests. */
  int liveSubscriptions() {
    return routes.size();
  }

  /** Only the replay: for a stream that can have nothing live left (a terminal transfer). */
  public Flux<EventLogRow> replay(Replay replay) {
    return replayAll(replay);
  }

  private Flux<EventLogRow> replayAll(Replay replay) {
    int page = properties.replayPageSizeMax();
    return replay
        .page()
        .rows(replay.afterSeq(), page)
        .collectList()
        .expand(
            rows ->
                rows.size() < page
                    ? Mono.empty()
                    : replay.page().rows(rows.get(rows.size() - 1).seq(), page).collectList())
        .concatMapIterable(rows -> rows);
  }

  /**
   * Where and how to replay from the database.
   *
   * @param afterSeq the client's last seen position (its Last-Event-ID), 0 for "from the start"
   * @param page the filtered query: rows after a position, oldest first, at most a limit
   */
  public record Replay(long afterSeq, Page page) {}

  /** One page of a filtered replay. */
  @FunctionalInterface
  public interface Page {
    Flux<EventLogRow> rows(long afterSeq, int limit);
  }

  /** A subscriber read too slowly; its buffer is full and its stream ends. */
  public static final class SlowSubscriberException extends RuntimeException {
    public SlowSubscriberException(int bufferMax) {
      super("subscriber fell " + bufferMax + " events behind", null, false, false);
    }
  }
}
