package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.paystream.messaging.events.EventFeed;
import io.paystream.persistence.events.EventLogRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** A stream written straight to its connection: frames, heartbeats, back-pressure, its end. */
class LiveStreamTest {

  private static final Duration HEARTBEAT = Duration.ofSeconds(10);
  private static final Duration RECONNECT = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final AtomicInteger released = new AtomicInteger();
  private final List<Long> delivered = new ArrayList<>();

  @Test
  void theOpeningCommentComesFirstThenOneEventPerRowInOrderAndTheStreamEndsWithTheRows() {
    TestPublisher<EventLogRow> rows = TestPublisher.create();
    LiveStream stream = stream(rows.flux());

    StepVerifier.create(Mono.<Void>create(sink -> stream.serve(channel, sink)))
        .then(
            () -> {
              rows.assertSubscribers(1);
              drain();
              assertThat(next()).isEqualTo("retry:2000\n:stream open\n\n");
              rows.next(row(7, "transfer.pending"), row(9, "transfer.completed"));
              drain();
            })
        .then(
            () -> {
              assertThat(next()).startsWith("id:7\nevent:transfer.pending\ndata:{");
              assertThat(next()).startsWith("id:9\nevent:transfer.completed\ndata:{");
              assertThat(delivered).containsExactly(7L, 9L);
              rows.complete();
              drain();
            })
        .expectComplete()
        .verify(WAIT);
    assertThat(released).hasValue(1);
  }

  /**
   * Rows are signalled on whichever thread emitted them: the feed's poller, a replay, or the event
   * loop itself when a finished write asks for more. A frame written at once when signalled on the
   * loop would overtake a row signalled before it elsewhere and still queued (seen in a reconnect
   * storm as events out of order); so every frame waits its turn in the loop's queue.
   */
  @Test
  void aRowSignalledOnTheEventLoopWaitsBehindTheRowsQueuedBeforeIt() {
    TestPublisher<EventLogRow> rows = TestPublisher.create();
    LiveStream stream = stream(rows.flux());
    Mono.<Void>create(sink -> stream.serve(channel, sink)).subscribe();
    drain();
    assertThat(next()).contains(":stream open");

    rows.next(row(1, "transfer.pending"));
    assertThat((Object) channel.readOutbound()).as("written before its turn").isNull();
    rows.next(row(2, "transfer.completed"));
    drain();

    assertThat(next()).startsWith("id:1\n");
    assertThat(next()).startsWith("id:2\n");
    stream.dispose();
  }

  @Test
  void aHeartbeatGoesOutEveryIntervalOnTheConnectionsEventLoopUntilTheStreamEnds() {
    channel.freezeTime();
    LiveStream stream = stream(Flux.never());
    Mono.<Void>create(sink -> stream.serve(channel, sink)).subscribe();
    drain();
    assertThat(next()).contains(":stream open");

    channel.advanceTimeBy(HEARTBEAT.toMillis() - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat((Object) channel.readOutbound()).isNull();
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(next()).isEqualTo(":heartbeat\n\n");
    channel.advanceTimeBy(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(next()).isEqualTo(":heartbeat\n\n");

    stream.dispose();
    channel.advanceTimeBy(HEARTBEAT.toMillis() * 3, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(released).hasValue(1);
  }

  @Test
  void aClientThatDoesNotReadIsHandedAtMostTheFramesInFlightAndTheRestWaitUpstream() {
    // Writes that never complete: the socket takes nothing.
    channel
        .pipeline()
        .addLast(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void write(ChannelHandlerContext context, Object frame, ChannelPromise done) {
                ((HttpContent) frame).release();
              }
            });
    AtomicLong requested = new AtomicLong();
    Flux<EventLogRow> rows =
        Flux.range(1, 1_000)
            .map(seq -> row(seq, "deposit.completed"))
            .doOnRequest(requested::addAndGet);
    LiveStream stream = stream(rows);

    Mono.<Void>create(sink -> stream.serve(channel, sink)).subscribe();
    drain();

    assertThat(requested).hasValue(LiveStream.IN_FLIGHT);
    assertThat(delivered).hasSize(LiveStream.IN_FLIGHT);
    stream.dispose();
  }

  @Test
  void aReadingClientAsksForOneMoreRowPerFrameTheSocketTook() {
    AtomicLong requested = new AtomicLong();
    Flux<EventLogRow> rows =
        Flux.range(1, 100)
            .map(seq -> row(seq, "deposit.completed"))
            .doOnRequest(requested::addAndGet);

    StepVerifier.create(Mono.<Void>create(sink -> stream(rows).serve(channel, sink)))
        .then(this::drain)
        .expectComplete()
        .verify(WAIT);

    assertThat(delivered).hasSize(100);
    assertThat(delivered).isSorted();
    assertThat(requested.get()).isEqualTo(LiveStream.IN_FLIGHT + 100L);
  }

  @Test
  void aSlowSubscriberEndsItsStreamCleanlySoTheClientResumesAndOtherErrorsFailIt() {
    StepVerifier.create(
            Mono.<Void>create(
                sink ->
                    stream(Flux.error(new EventFeed.SlowSubscriberException(100)))
                        .serve(channel, sink)))
        .then(this::drain)
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(
            Mono.<Void>create(
                sink -> stream(Flux.error(new IllegalStateException("boom"))).serve(channel, sink)))
        .then(this::drain)
        .expectErrorMessage("boom")
        .verify(WAIT);
    assertThat(released).hasValue(2);
  }

  @Test
  void
      theSlotIsGivenBackOnceHoweverOftenTheStreamIsEndedAndAStreamEndedBeforeServingNeverSubscribes() {
    TestPublisher<EventLogRow> rows = TestPublisher.create();
    LiveStream stream = stream(rows.flux());
    stream.dispose();
    stream.dispose();

    Mono.<Void>create(sink -> stream.serve(channel, sink)).subscribe();
    drain();

    rows.assertNoSubscribers();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(released).hasValue(1);
    assertThat(stream.isDisposed()).isTrue();
  }

  private LiveStream stream(Flux<EventLogRow> rows) {
    return new LiveStream(
        rows, row -> delivered.add(row.seq()), released::incrementAndGet, HEARTBEAT, RECONNECT);
  }

  /**
   * Runs what the stream queued on the connection's event loop, until nothing is left: every frame
   * is written from the loop's queue, in the order its row was signalled.
   */
  private void drain() {
    while (channel.hasPendingTasks()) {
      channel.runPendingTasks();
    }
  }

  /** The next frame written, as text; the frame is released as the socket would. */
  private String next() {
    HttpContent frame = channel.readOutbound();
    assertThat(frame).as("a frame written").isNotNull();
    try {
      return frame.content().toString(StandardCharsets.UTF_8);
    } finally {
      frame.release();
    }
  }

  private static EventLogRow row(long seq, String type) {
    UUID id = UUID.randomUUID();
    return new EventLogRow(
        seq,
        UUID.randomUUID(),
        type,
        id,
        UUID.randomUUID(),
        null,
        "{\"id\":\"" + id + "\"}",
        Instant.parse("2026-11-22T00:00:00Z"));
  }
}
