package io.paystream.domain;

/**
 * {@code PENDING} until exactly one terminal status. A terminal status is final: asking to leave it
 * is a bug, and {@link #requireCanMoveTo} throws.
 */
public enum TransferStatus {
  PENDING,
  COMPLETED,
  FAILED;

  public boolean isTerminal() {
    return this != PENDING;
  }

  public boolean canMoveTo(TransferStatus target) {
    return this == PENDING && target.isTerminal();
  }

  public void requireCanMoveTo(TransferStatus target) {
    if (!canMoveTo(target)) {
      throw new IllegalStateException("a transfer in status " + this + " cannot become " + target);
    }
  }
}
