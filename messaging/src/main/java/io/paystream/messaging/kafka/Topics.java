package io.paystream.messaging.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka topic names, owned by messaging: the relay sends every outbox row to {@link #EVENTS}, and
 * the consumers read it.
 */
public final class Topics {

  /**
   * Every money event, keyed by the account whose side acts next (the payee for a pending
   * transfer).
   */
  public static final String EVENTS = "paystream.events";

  /** Messages no consumer could apply after its retries: kept for a person to look at. */
  public static final String EVENTS_DEAD_LETTER = "paystream.events.dlt";

  /**
   * Header of every record the relay sends: the event's type, so that a consumer can pass over the
   * events it does not handle without decoding them.
   */
  public static final String TYPE_HEADER = "paystream-event-type";

  /** The record's event type as its {@link #TYPE_HEADER} names it, or null without one. */
  public static String type(Headers headers) {
    Header header = headers.lastHeader(TYPE_HEADER);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private Topics() {}
}
