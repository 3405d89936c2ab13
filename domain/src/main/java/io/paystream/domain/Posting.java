package io.paystream.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * One leg of a journal: an amount moved into ({@code CREDIT}) or out of ({@code DEBIT}) an account.
 */
public record Posting(UUID accountId, Direction direction, Money amount) {

  public Posting {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(amount, "amount");
  }

  public long signedMinorUnits() {
    return direction.signed(amount.minorUnits());
  }
}
