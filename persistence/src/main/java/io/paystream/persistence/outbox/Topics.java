package io.paystream.persistence.outbox;

/** Kafka topic names, shared by the writers of the outbox and the consumers in messaging. */
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
