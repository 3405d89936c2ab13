package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.persistence.events.EventLogRow;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

class SseFramesTest {

  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final Duration RECONNECT = Duration.ofSeconds(2);

  @Test
  void anIdleStreamOpensWithACommentAndSendsAHeartbeatEveryInterval() {
    StepVerifier.withVirtualTime(
            () -> SseFrames.frame(Flux.never(), HEARTBEAT, RECONNECT, Schedulers.parallel()))
        .assertNext(first -> assertComment(first, SseFrames.OPENING_COMMENT))
        .expectNoEvent(HEARTBEAT.minusMillis(1))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(beat -> assertComment(beat, SseFrames.HEARTBEAT_COMMENT))
        .expectNoEvent(HEARTBEAT.minusMillis(1))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(beat -> assertComment(beat, SseFrames.HEARTBEAT_COMMENT))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void eachRowBecomesAnEventWithItsPositionNameAndResourceAndTheStreamEndsWithTheRows() {
    TestPublisher<EventLogRow> rows = TestPublisher.create();
    EventLogRow pending = row(7, "transfer.pending");
    EventLogRow completed = row(9, "transfer.completed");

    StepVerifier.withVirtualTime(
            () -> SseFrames.frame(rows.flux(), HEARTBEAT, RECONNECT, Schedulers.parallel()))
        .assertNext(
            first -> {
              assertComment(first, SseFrames.OPENING_COMMENT);
              assertThat(first.retry()).isEqualTo(RECONNECT);
              rows.assertSubscribers(1);
            })
        .then(() -> rows.next(pending))
        .assertNext(
            event -> {
              assertThat(event.id()).isEqualTo("7");
              assertThat(event.event()).isEqualTo("transfer.pending");
              assertThat(event.data()).isEqualTo(pending.data());
            })
        .thenAwait(HEARTBEAT)
        .assertNext(beat -> assertComment(beat, SseFrames.HEARTBEAT_COMMENT))
        .then(() -> rows.next(completed).complete())
        .assertNext(event -> assertThat(event.id()).isEqualTo("9"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void noHeartbeatOutlivesAFinishedStream() {
    TestPublisher<EventLogRow> rows = TestPublisher.create();

    StepVerifier.withVirtualTime(
            () -> SseFrames.frame(rows.flux(), HEARTBEAT, RECONNECT, Schedulers.parallel()))
        .assertNext(first -> assertComment(first, SseFrames.OPENING_COMMENT))
        .then(() -> rows.emit(row(1, "deposit.completed")))
        .assertNext(event -> assertThat(event.event()).isEqualTo("deposit.completed"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  private static void assertComment(ServerSentEvent<String> event, String comment) {
    assertThat(event.comment()).isEqualTo(comment);
    assertThat(event.event()).isNull();
    assertThat(event.data()).isNull();
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
