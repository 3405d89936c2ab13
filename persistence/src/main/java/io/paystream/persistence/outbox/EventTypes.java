package io.paystream.persistence.outbox;

import java.util.Set;

/**
 * The event names of the public contract (CONTRACT.md, Live status). Other outbox events, such as
 * {@code withdrawal.pending}, are internal commands between legs of a saga: they drive a consumer
 * but never reach a client's stream or webhook.
 */
public final class EventTypes {

  public static final Set<String> PUBLIC =
      Set.of(
          "transfer.pending",
          "transfer.completed",
          "transfer.failed",
          "withdrawal.processing",
          "withdrawal.completed",
          "withdrawal.failed",
          "deposit.completed");

  private EventTypes() {}

  public static boolean isPublic(String type) {
    return PUBLIC.contains(type);
  }
}
