package io.paystream.api.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.paystream.persistence.events.EventLogRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a stream looks on the wire, byte for byte what Spring's {@code ServerSentEvent} writer sent
 * before streams were written straight to their connections: an opening comment with the {@code
 * retry:} hint (without a first write the response headers never leave the server, DESIGN.md), one
 * SSE event per event-log row ({@code id:} the log position, {@code event:} the contract's name,
 * {@code data:} the resource JSON), and heartbeat comments.
 */
final class SseFrames {

  static final String OPENING_COMMENT = "stream open";
  static final String HEARTBEAT_COMMENT = "heartbeat";

  /** Every heartbeat is the same bytes: one read-only buffer, shared by all streams. */
  private static final ByteBuf HEARTBEAT =
      Unpooled.unreleasableBuffer(
          Unpooled.directBuffer()
              .writeBytes((":" + HEARTBEAT_COMMENT + "\n\n").getBytes(StandardCharsets.UTF_8))
              .asReadOnly());

  private SseFrames() {}

  static ByteBuf opening(ByteBufAllocator allocator, Duration reconnect) {
    ByteBuf frame = allocator.buffer(32);
    frame.writeCharSequence("retry:", StandardCharsets.US_ASCII);
    frame.writeCharSequence(Long.toString(reconnect.toMillis()), StandardCharsets.US_ASCII);
    frame.writeCharSequence("\n:" + OPENING_COMMENT + "\n\n", StandardCharsets.US_ASCII);
    return frame;
  }

  /** A view of the shared heartbeat: nothing is allocated for its bytes, and nothing released. */
  static ByteBuf heartbeat() {
    return HEARTBEAT.duplicate();
  }

  /** One row as one event, encoded once into a buffer of {@code allocator}'s. */
  static ByteBuf event(ByteBufAllocator allocator, EventLogRow row) {
    String data = row.data();
    ByteBuf frame = allocator.buffer(48 + row.type().length() + ByteBufUtil.utf8MaxBytes(data));
    frame.writeCharSequence("id:", StandardCharsets.US_ASCII);
    frame.writeCharSequence(Long.toString(row.seq()), StandardCharsets.US_ASCII);
    frame.writeCharSequence("\nevent:", StandardCharsets.US_ASCII);
    ByteBufUtil.writeUtf8(frame, row.type());
    frame.writeCharSequence("\ndata:", StandardCharsets.US_ASCII);
    // A line break inside the data starts another data line, as the SSE format requires; the
    // resources are compact JSON, so this is the exception.
    if (data.indexOf('\n') < 0) {
      ByteBufUtil.writeUtf8(frame, data);
    } else {
      ByteBufUtil.writeUtf8(frame, data.replace("\n", "\ndata:"));
    }
    frame.writeCharSequence("\n\n", StandardCharsets.US_ASCII);
    return frame;
  }
}
