package io.paystream.domain;

/** Seen from the account: a {@code DEBIT} takes money out of it, a {@code CREDIT} puts money in. */
public enum Direction {
  DEBIT,
  CREDIT;

  /** The effect on the account's balance of a posting of {@code minorUnits} in this direction. */
  public long signed(long minorUnits) {
    return this == CREDIT ? minorUnits : Math.negateExact(minorUnits);
  }
}
