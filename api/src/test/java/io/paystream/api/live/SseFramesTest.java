package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.paystream.persistence.events.EventLogRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The frames are byte for byte what Spring's ServerSentEvent writer produced for them. */
class SseFramesTest {

  private static final ByteBufAllocator ALLOCATOR = ByteBufAllocator.DEFAULT;

  @Test
  void theOpeningCommentCarriesTheReconnectHint() {
    assertThat(text(SseFrames.opening(ALLOCATOR, Duration.ofSeconds(2))))
        .isEqualTo("retry:2000\n:stream open\n\n");
  }

  @Test
  void aRowBecomesAnEventWithItsPositionNameAndResource() {
    EventLogRow row = row(7, "transfer.pending", "{\"id\":\"é €\",\"amount\":100}");
    assertThat(text(SseFrames.event(ALLOCATOR, row)))
        .isEqualTo("id:7\nevent:transfer.pending\ndata:{\"id\":\"é €\",\"amount\":100}\n\n");
  }

  @Test
  void aLineBreakInTheDataStartsAnotherDataLine() {
    assertThat(text(SseFrames.event(ALLOCATOR, row(9, "deposit.completed", "{\n\"a\":1\n}"))))
        .isEqualTo("id:9\nevent:deposit.completed\ndata:{\ndata:\"a\":1\ndata:}\n\n");
  }

  @Test
  void everyHeartbeatIsTheSameCommentAndReleasingOneLeavesTheOthers() {
    ByteBuf first = SseFrames.heartbeat();
    assertThat(text(first)).isEqualTo(":heartbeat\n\n");
    assertThat(text(SseFrames.heartbeat())).isEqualTo(":heartbeat\n\n");
  }

  /** Reads and releases the frame, as the connection does once it is written. */
  private static String text(ByteBuf frame) {
    try {
      return frame.toString(StandardCharsets.UTF_8);
    } finally {
      frame.release();
    }
  }

  private static EventLogRow row(long seq, String type, String data) {
    return new EventLogRow(
        seq,
        UUID.randomUUID(),
        type,
        UUID.randomUUID(),
        UUID.randomUUID(),
        null,
        data,
        Instant.parse("2026-11-22T00:00:00Z"));
  }
}
