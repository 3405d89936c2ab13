package io.paystream.domain;

/**
 * The named risk policies a transfer must satisfy before any money moves. A breach is a {@link
 * Rejection#LIMIT_EXCEEDED} that carries the policy's {@link #limitName()}, so that a client (and
 * the audit trail) learns which limit it hit. Each is configured per currency; a currency without a
 * value for a policy is not limited by it.
 */
public enum RiskLimit {
  /** The largest single transfer, in minor units. */
  PER_TRANSFER_MAX("per_transfer_max"),
  /** The most one account may send in one UTC day, in minor units, failed transfers excluded. */
  DAILY_OUTGOING_MAX("daily_outgoing_max"),
  /**
   * The most transfers one account may send within one minute: a drained account is slow to drain.
   */
  VELOCITY_PER_MINUTE("velocity_per_minute");

  private final String limitName;

  RiskLimit(String limitName) {
    this.limitName = limitName;
  }

  /** Stable snake_case name, part of the public contract (problem member {@code limit}). */
  public String limitName() {
    return limitName;
  }

  /** The rejection a breach of this policy produces. */
  public RejectedException breach(String detail) {
    return new RejectedException(Rejection.LIMIT_EXCEEDED, detail, limitName);
  }
}
