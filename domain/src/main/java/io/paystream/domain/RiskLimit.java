package io.paystream.domain;

/**
 * The named risk policies a movement must satisfy before any money moves. A breach is a {@link
 * Rejection#LIMIT_EXCEEDED} that carries the policy's {@link #limitName()}, so that a client (and
 * the audit trail) learns which limit it hit. The first three are configured per currency ({@link
 * TransferLimits}); a currency without a value for one is not limited by it.
 */
public enum RiskLimit {
  /** The largest single transfer, in minor units. */
  PER_TRANSFER_MAX("per_transfer_max"),
  /** The most one account may send in one UTC day, in minor units, failed transfers excluded. */
  DAILY_OUTGOING_MAX("daily_outgoing_max"),
  /**
   * The most transfers one account may send within one minute: a drained account is slow to drain.
   */
  VELOCITY_PER_MINUTE("velocity_per_minute"),
  /** The most one account may hold, {@link Account#BALANCE_MAX}: a credit beyond it is refused. */
  BALANCE_MAX("balance_max");

  private final String limitName;

  RiskLimit(String limitName) {
    this.limitName = limitName;
  }

  /** Stable snake_case name, part of the public contract (problem member {@code limit}). */
  public String limitName() {
    return limitName;
  }

  /** The refusal a breach of this policy produces. */
  public Refusal refusal(String detail) {
    return new Refusal(Rejection.LIMIT_EXCEEDED, limitName, detail);
  }
}
