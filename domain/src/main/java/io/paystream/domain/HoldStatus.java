package io.paystream.domain;

import java.util.Locale;

/**
 * {@code HELD} until exactly one final status: captured into a transfer, voided, or expired. A
 * final status never changes (the database refuses it too, V15).
 */
public enum HoldStatus {
  HELD,
  CAPTURED,
  VOIDED,
  EXPIRED;

  public boolean isFinal() {
    return this != HELD;
  }

  /** The contract's event name: {@code hold.created} for a new hold, else {@code hold.<status>}. */
  public String eventType() {
    return this == HELD ? "hold.created" : "hold." + name().toLowerCase(Locale.ROOT);
  }
}
