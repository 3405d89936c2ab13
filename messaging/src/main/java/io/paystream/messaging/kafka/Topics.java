package io.paystream.messaging.kafka;

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

  private Topics() {}
}
