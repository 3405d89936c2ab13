package io.paystream.domain;

import java.util.Objects;

/**
 * Carries a {@link Rejection} out of a reactive or nested call chain. It is thrown only where a
 * value cannot be returned (a record constructor, a stream operator); it never stands for a bug.
 */
public final class RejectedException extends RuntimeException {

  private final Rejection rejection;
  private final String limit;

  public RejectedException(Rejection rejection, String detail) {
    this(rejection, detail, null);
  }

  /**
   * @param limit the {@link RiskLimit#limitName()} that was breached, or null when the rejection is
   *     not about a limit
   */
  public RejectedException(Rejection rejection, String detail, String limit) {
    super(detail, null, false, false);
    this.rejection = Objects.requireNonNull(rejection);
    this.limit = limit;
  }

  public Rejection rejection() {
    return rejection;
  }

  /** The breached limit's name, or null. */
  public String limit() {
    return limit;
  }
}
