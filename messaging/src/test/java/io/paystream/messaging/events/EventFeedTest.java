package io.paystream.messaging.events;

import static io.paystream.messaging.events.EventRows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.messaging.events.EventFeed.Replay;
import io.paystream.persistence.events.EventLogRow;
import io.paystream.persistence.events.EventLogStore;
import io.paystream.persistence.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

/**
 * The seam between replay and live, on an in-memory log standing in for the event_log table (the
 * integration tests run the same logic against PostgreSQL and Kafka).
 */
class EventFeedTest {

  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(5);
  private static final int SUBSCRIBER_BUFFER_MAX = 4;

  private final List<EventLogRow> log = new CopyOnWriteArrayList<>();
  private final Sinks.Many<Object> wakeUps = Sinks.many().multicast().directBestEffort();
  private EventFeed feed;
  private Disposable polling;

  @BeforeEach
  void startFeedOnALogHoldingTwoEvents() {
    log.add(row(1));
    log.add(row(2));
    startFeed(1_000);
  }

  /** A feed on the in-memory log, keeping up to {@code windowRows} rows for resumes. */
  private void startFeed(int windowRows) {
    EventLogStore store = mock(EventLogStore.class);
    when(store.maxSeq()).thenAnswer(call -> Mono.just(log.get(log.size() - 1).seq()));
    when(store.after(anyLong(), anyInt()))
        .thenAnswer(call -> Flux.defer(() -> rowsAfter(call.getArgument(0), call.getArgument(1))));
    EventsProperties properties =
        new EventsProperties(1000, 500, 2, SUBSCRIBER_BUFFER_MAX, 24, 10, windowRows);
    feed = new EventFeed(store, properties, Clock.systemUTC(), new SimpleMeterRegistry());
    polling = feed.run(wakeUps.asFlux()).subscribe();
  }

  @Test
  void aRecentResumeIsAnsweredFromMemoryWithoutAQuery() {
    append(3);
    append(4);
    append(5);
    Eventually.await(VERIFY_TIMEOUT, "rows 3 to 5 fanned out", () -> feed.publishedSeq() == 5);
    Replay neverQueried =
        new Replay(3, (after, limit) -> Flux.error(new AssertionError("the log was queried")));

    StepVerifier.create(feed.subscribe(Route.everything(), neverQueried).map(EventLogRow::seq))
        .expectNext(4L, 5L)
        .then(() -> append(6))
        .expectNext(6L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aFeedStartedOnALogWithRowsAnswersResumesFromItsLatestRowsFromMemory() {
    // An instance restarting into a reconnect storm: its clients resume a few rows back.
    polling.dispose();
    append(3);
    append(4);
    startFeed(1_000);
    Eventually.await(VERIFY_TIMEOUT, "the feed started", () -> feed.publishedSeq() == 4);
    Replay neverQueried =
        new Replay(1, (after, limit) -> Flux.error(new AssertionError("the log was queried")));

    StepVerifier.create(feed.subscribe(Route.everything(), neverQueried).map(EventLogRow::seq))
        .expectNext(2L, 3L, 4L)
        .then(() -> append(5))
        .expectNext(5L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aResumeFromBeforeWhatTheFeedLoadedAtStartIsReplayedFromTheLog() {
    polling.dispose();
    append(3);
    append(4);
    append(5);
    // A window of 2 starts with rows 4 and 5: row 3 and older are only in the log.
    startFeed(2);
    Eventually.await(VERIFY_TIMEOUT, "the feed started", () -> feed.publishedSeq() == 5);
    List<Long> queried = new CopyOnWriteArrayList<>();
    Replay fromTwo =
        new Replay(
            2,
            (after, limit) -> {
              queried.add(after);
              return rowsAfter(after, limit);
            });

    StepVerifier.create(feed.subscribe(Route.everything(), fromTwo).map(EventLogRow::seq))
        .expectNext(3L, 4L, 5L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    assertThat(queried).isNotEmpty();
    Replay fromThree =
        new Replay(3, (after, limit) -> Flux.error(new AssertionError("the log was queried")));
    StepVerifier.create(feed.subscribe(Route.everything(), fromThree).map(EventLogRow::seq))
        .expectNext(4L, 5L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aFullWindowForgetsItsOldestRowsAndSendsResumesFromBeforeThemToTheLog() {
    polling.dispose();
    startFeed(2);
    for (long seq = 3; seq <= 6; seq++) {
      append(seq);
    }
    Eventually.await(VERIFY_TIMEOUT, "rows 3 to 6 fanned out", () -> feed.publishedSeq() == 6);
    List<Long> queried = new CopyOnWriteArrayList<>();
    EventFeed.Page counting =
        (after, limit) -> {
          queried.add(after);
          return rowsAfter(after, limit);
        };

    // The window holds 5 and 6: a resume after 4 needs nothing older.
    StepVerifier.create(
            feed.subscribe(Route.everything(), new Replay(4, counting)).map(EventLogRow::seq))
        .expectNext(5L, 6L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    assertThat(queried).isEmpty();
    // A resume after 3 needs 4, which the window dropped.
    StepVerifier.create(
            feed.subscribe(Route.everything(), new Replay(3, counting)).map(EventLogRow::seq))
        .expectNext(4L, 5L, 6L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    assertThat(queried).as("pages of the log, the first after 3").startsWith(3L);
    polling.dispose();
  }

  @Test
  void aResumeFromMemoryKeepsToItsRoute() {
    UUID account = UUID.randomUUID();
    append(row(3, UUID.randomUUID(), account, null));
    append(row(4, UUID.randomUUID(), UUID.randomUUID(), null));
    append(row(5, UUID.randomUUID(), UUID.randomUUID(), account));
    Eventually.await(VERIFY_TIMEOUT, "rows 3 to 5 fanned out", () -> feed.publishedSeq() == 5);
    Replay neverQueried =
        new Replay(2, (after, limit) -> Flux.error(new AssertionError("the log was queried")));

    StepVerifier.create(feed.subscribe(Route.account(account), neverQueried).map(EventLogRow::seq))
        .expectNext(3L, 5L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void anEventFannedOutLiveWhileTheReplayIsPendingIsDeliveredOnceAtItsPlace() {
    // No window: the replay is read from the log, and row 3 is both in it and in the live rows.
    polling.dispose();
    startFeed(0);
    Eventually.await(VERIFY_TIMEOUT, "the feed started", () -> feed.publishedSeq() == 2);
    Sinks.Empty<Void> replayMayRun = Sinks.empty();
    Replay fromStart =
        new Replay(
            0,
            (after, limit) ->
                replayMayRun.asMono().thenMany(Flux.defer(() -> rowsAfter(after, limit))));

    StepVerifier.create(feed.subscribe(Route.everything(), fromStart).map(EventLogRow::seq))
        .then(() -> append(3))
        .then(replayMayRun::tryEmitEmpty)
        .expectNext(1L, 2L, 3L)
        .then(() -> append(4))
        .expectNext(4L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aResumeReplaysOnlyWhatFollowsTheClientsPositionAcrossReplayPages() {
    append(3);
    append(4);
    append(5);

    StepVerifier.create(
            feed.subscribe(
                    Route.everything(), new Replay(1, (after, limit) -> rowsAfter(after, limit)))
                .map(EventLogRow::seq))
        .expectNext(2L, 3L, 4L, 5L)
        .then(() -> append(6))
        .expectNext(6L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aSubscriberThatStopsReadingIsCutOffOnceItsBufferIsFull() {
    StepVerifier.create(feed.subscribe(Route.everything(), null), 0)
        .expectSubscription()
        .then(
            () -> {
              // Far more than the buffer can hold.
              for (int seq = 3; seq <= 3 + 16 * SUBSCRIBER_BUFFER_MAX; seq++) {
                append(seq);
              }
            })
        .expectError(EventFeed.SlowSubscriberException.class)
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aSubscriberThatKeepsReadingIsNeverCutOffHoweverManyRowsPassThroughItsBuffer() {
    int rows = 16 * SUBSCRIBER_BUFFER_MAX;
    StepVerifier.create(feed.subscribe(Route.everything(), null).map(EventLogRow::seq))
        .then(
            () -> {
              for (int seq = 3; seq < 3 + rows; seq++) {
                append(seq);
              }
            })
        .expectNextCount(rows)
        .then(() -> append(3 + rows))
        .expectNext(3L + rows)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aSubscriberGetsNoMoreRowsThanItRequestedAndTheRestWaitInOrder() {
    StepVerifier.create(feed.subscribe(Route.everything(), null).map(EventLogRow::seq), 0)
        .expectSubscription()
        .then(
            () -> {
              append(3);
              append(4);
              append(5);
            })
        .expectNoEvent(Duration.ofMillis(200))
        .thenRequest(1)
        .expectNext(3L)
        .expectNoEvent(Duration.ofMillis(100))
        .thenRequest(2)
        .expectNext(4L, 5L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aFullBufferEndsTheStreamAtOnceAheadOfTheRowsStillWaiting() {
    StepVerifier.create(feed.subscribe(Route.everything(), null).map(EventLogRow::seq), 1)
        .then(() -> append(3))
        .expectNext(3L)
        .then(
            () -> {
              for (int seq = 4; seq <= 4 + SUBSCRIBER_BUFFER_MAX; seq++) {
                append(seq);
              }
            })
        // No row 4: the rows waiting are not sent first.
        .expectError(EventFeed.SlowSubscriberException.class)
        .verify(VERIFY_TIMEOUT);
    Eventually.await(
        VERIFY_TIMEOUT, "the failed stream left the index", () -> feed.liveSubscriptions() == 0);
    polling.dispose();
  }

  @Test
  void aLongReplayFromTheLogPagedBehindTheSubscriberJoinsTheLiveRowsWithoutAGapOrARepeat() {
    polling.dispose();
    for (long seq = 3; seq <= 200; seq++) {
      log.add(row(seq));
    }
    // A window of 8 rows: a resume from 1 is read from the log, in pages of 2.
    startFeed(8);
    Eventually.await(VERIFY_TIMEOUT, "the feed started", () -> feed.publishedSeq() == 200);
    List<Long> received = new CopyOnWriteArrayList<>();
    Disposable stream =
        feed.subscribe(Route.everything(), new Replay(1, (after, limit) -> rowsAfter(after, limit)))
            .limitRate(3)
            .subscribe(row -> received.add(row.seq()));
    for (long seq = 201; seq <= 230; seq++) {
      append(seq);
    }

    Eventually.await(
        VERIFY_TIMEOUT, "every row after 1 received", () -> received, r -> r.size() >= 229);
    assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(2, 230).boxed().toList());
    stream.dispose();
    assertThat(feed.liveSubscriptions()).isZero();
    polling.dispose();
  }

  @Test
  void aFailedReplayEndsTheStreamWithItsErrorAndLeavesTheIndex() {
    polling.dispose();
    startFeed(0);
    Eventually.await(VERIFY_TIMEOUT, "the feed started", () -> feed.publishedSeq() == 2);
    Replay failing =
        new Replay(1, (after, limit) -> Flux.error(new IllegalStateException("the log is down")));

    StepVerifier.create(feed.subscribe(Route.everything(), failing))
        .expectErrorMessage("the log is down")
        .verify(VERIFY_TIMEOUT);
    assertThat(feed.liveSubscriptions()).isZero();
    polling.dispose();
  }

  @Test
  void aStreamClosedDuringItsReplayStopsTheReplayAndLeavesTheIndex() {
    polling.dispose();
    startFeed(0);
    Eventually.await(VERIFY_TIMEOUT, "the feed started", () -> feed.publishedSeq() == 2);
    PublisherProbe<EventLogRow> pending = PublisherProbe.of(Flux.never());
    Replay neverAnswered = new Replay(1, (after, limit) -> pending.flux());

    StepVerifier.create(feed.subscribe(Route.everything(), neverAnswered))
        .then(() -> assertThat(feed.liveSubscriptions()).isEqualTo(1))
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    pending.assertWasCancelled();
    assertThat(feed.liveSubscriptions()).isZero();
    polling.dispose();
  }

  @Test
  void aStreamOpenedBeforeTheFeedHasStartedWaitsForItAndMissesNothing() {
    polling.dispose();
    EventLogStore store = mock(EventLogStore.class);
    when(store.maxSeq()).thenAnswer(call -> Mono.just(log.get(log.size() - 1).seq()));
    when(store.after(anyLong(), anyInt()))
        .thenAnswer(call -> Flux.defer(() -> rowsAfter(call.getArgument(0), call.getArgument(1))));
    feed =
        new EventFeed(
            store,
            new EventsProperties(1000, 500, 2, SUBSCRIBER_BUFFER_MAX, 24, 10, 1_000),
            Clock.systemUTC(),
            new SimpleMeterRegistry());

    StepVerifier.create(
            feed.subscribe(
                    Route.everything(), new Replay(1, (after, limit) -> rowsAfter(after, limit)))
                .map(EventLogRow::seq))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(100))
        .then(() -> polling = feed.run(wakeUps.asFlux()).subscribe())
        .expectNext(2L)
        .then(() -> append(3))
        .expectNext(3L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void anAccountStreamGetsTheRowsWhereItsAccountIsEitherPartyAndNoOthers() {
    UUID account = UUID.randomUUID();
    StepVerifier.create(feed.subscribe(Route.account(account), null).map(EventLogRow::seq))
        .then(
            () -> {
              append(row(3, UUID.randomUUID(), account, UUID.randomUUID()));
              append(row(4, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()));
              append(row(5, UUID.randomUUID(), UUID.randomUUID(), account));
              append(row(6, UUID.randomUUID(), UUID.randomUUID(), null));
              append(row(7, UUID.randomUUID(), account, null));
            })
        .expectNext(3L, 5L, 7L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void aResourceStreamGetsOnlyThatResourcesRowsEvenAmongItsAccountsOtherEvents() {
    UUID transfer = UUID.randomUUID();
    UUID payer = UUID.randomUUID();
    UUID payee = UUID.randomUUID();
    StepVerifier.create(feed.subscribe(Route.resource(transfer), null).map(EventLogRow::seq))
        .then(
            () -> {
              append(row(3, UUID.randomUUID(), payer, payee));
              append(row(4, transfer, payer, payee));
              append(row(5, UUID.randomUUID(), payer, payee));
              append(row(6, transfer, payer, payee));
            })
        .expectNext(4L, 6L)
        .thenCancel()
        .verify(VERIFY_TIMEOUT);
    polling.dispose();
  }

  @Test
  void everyRouteWatchingARowGetsItOnceAndAClosedStreamLeavesTheIndex() {
    UUID transfer = UUID.randomUUID();
    UUID payer = UUID.randomUUID();
    UUID payee = UUID.randomUUID();
    List<String> received = new CopyOnWriteArrayList<>();
    List<Disposable> streams =
        List.of(
            feed.subscribe(Route.everything(), null).subscribe(row -> received.add("ops")),
            feed.subscribe(Route.account(payer), null).subscribe(row -> received.add("payer")),
            feed.subscribe(Route.account(payee), null).subscribe(row -> received.add("payee")),
            feed.subscribe(Route.resource(transfer), null)
                .subscribe(row -> received.add("transfer")),
            feed.subscribe(Route.account(UUID.randomUUID()), null)
                .subscribe(row -> received.add("stranger")));
    assertThat(feed.liveSubscriptions()).isEqualTo(5);

    append(row(3, transfer, payer, payee));

    Eventually.await(
        VERIFY_TIMEOUT,
        "a delivery to each of the four routes watching the row",
        () -> received,
        r -> r.size() >= 4);
    assertThat(received).containsExactlyInAnyOrder("ops", "payer", "payee", "transfer");
    streams.forEach(Disposable::dispose);
    assertThat(feed.liveSubscriptions()).isZero();
    polling.dispose();
  }

  private void append(long seq) {
    append(row(seq));
  }

  private void append(EventLogRow row) {
    log.add(row);
    wakeUps.tryEmitNext(row.seq());
  }

  private Flux<EventLogRow> rowsAfter(long after, int limit) {
    return Flux.fromIterable(log).filter(row -> row.seq() > after).take(limit);
  }
}
