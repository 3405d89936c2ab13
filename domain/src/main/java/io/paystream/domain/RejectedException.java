package io.paystream.domain;

import java.util.Objects;

/**
 * Carries a {@link Refusal} out of a reactive or nested call chain. It is thrown only where a value
 * cannot be returned (a stream operator, a transaction that must roll back); it never stands for a
 * bug.
 */
public final class RejectedException extends RuntimeException {

  private final Refusal refusal;

  public RejectedException(Refusal refusal) {
    super(refusal.detail(), null, false, false);
    this.refusal = Objects.requireNonNull(refusal);
  }

  public RejectedException(Rejection rejection, String detail) {
    this(Refusal.of(rejection, detail));
  }

  public Refusal refusal() {
    return refusal;
  }

  public Rejection rejection() {
    return refusal.rejection();
  }

  /** The breached limit's name, or null. */
  public String limit() {
    return refusal.limit();
  }

  /** The index of the batch's transfer that refused it, or null. */
  public Integer leg() {
    return refusal.leg();
  }
}
