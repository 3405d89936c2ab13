package io.paystream.domain;

import java.util.Objects;

/**
 * Carries a {@link Rejection} out of a reactive or nested call chain. It is thrown only where a
 * value cannot be returned (a record constructor, a stream operator); it never stands for a bug.
 */
public final class RejectedException extends RuntimeException {

  private final Rejection rejection;

  public RejectedException(Rejection rejection, String detail) {
    super(detail, null, false, false);
    this.rejection = Objects.requireNonNull(rejection);
  }

  public Rejection rejection() {
    return rejection;
  }
}
