package io.paystream.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of an account. {@code CLOSED} is terminal. Only an {@code ACTIVE} account may send or
 * receive a transfer; a refund of its own debit is always returned to the payer, whatever its
 * status, because that money is the payer's.
 */
public enum AccountStatus {
  ACTIVE,
  FROZEN,
  CLOSED;

  private Set<AccountStatus> next() {
    return switch (this) {
      case ACTIVE -> EnumSet.of(FROZEN, CLOSED);
      case FROZEN -> EnumSet.of(ACTIVE, CLOSED);
      case CLOSED -> EnumSet.noneOf(AccountStatus.class);
    };
  }

  public boolean canMoveTo(AccountStatus target) {
    return next().contains(target);
  }
}
