package io.paystream.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The closed life of a withdrawal: {@code PENDING} (the payer is debited into PAYOUT) -> {@code
 * PROCESSING} (the provider is being asked) -> {@code COMPLETED} (paid out) or {@code FAILED} (the
 * money is back with the payer). A {@code PENDING} withdrawal may also fail directly when it can
 * never reach the provider. Terminal statuses are final: asking to leave one is a bug, and {@link
 * #requireCanMoveTo} throws.
 */
public enum WithdrawalStatus {
  PENDING,
  PROCESSING,
  COMPLETED,
  FAILED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED;
  }

  /** The transition table; anything not listed is impossible. */
  public Set<WithdrawalStatus> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(PROCESSING, FAILED);
      case PROCESSING -> EnumSet.of(COMPLETED, FAILED);
      case COMPLETED, FAILED -> EnumSet.noneOf(WithdrawalStatus.class);
    };
  }

  public boolean canMoveTo(WithdrawalStatus target) {
    return next().contains(target);
  }

  public void requireCanMoveTo(WithdrawalStatus target) {
    if (!canMoveTo(target)) {
      throw new IllegalStateException(
          "a withdrawal in status " + this + " cannot become " + target);
    }
  }
}
