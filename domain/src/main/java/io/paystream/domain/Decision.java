package io.paystream.domain;

import java.util.Objects;
import java.util.function.Function;

/**
 * What a rule decided: the state after the change ({@link Allowed}), or a {@link Refusal} saying
 * why not ({@link Refused}). Rules return it instead of throwing, so a caller deciding many
 * requests in a row (a batch) keeps going after a refusal.
 */
public sealed interface Decision<T> {

  /** The change may happen; {@code value} is the state after it. */
  record Allowed<T>(T value) implements Decision<T> {
    public Allowed {
      Objects.requireNonNull(value, "value");
    }
  }

  /** The change may not happen. */
  record Refused<T>(Refusal refusal) implements Decision<T> {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
    }
  }

  static <T> Decision<T> allowed(T value) {
    return new Allowed<>(value);
  }

  static <T> Decision<T> refused(Refusal refusal) {
    return new Refused<>(refusal);
  }

  static <T> Decision<T> refused(Rejection rejection, String detail) {
    return new Refused<>(Refusal.of(rejection, detail));
  }

  /** The refusal, or null when allowed. */
  default Refusal refusal() {
    return this instanceof Refused<T> refused ? refused.refusal() : null;
  }

  /** The state after the change; throws if the change was refused (asking was a bug). */
  default T value() {
    if (this instanceof Allowed<T> allowed) {
      return allowed.value();
    }
    throw new IllegalStateException("refused: " + refusal());
  }

  /** Allowed: the next decision taken on its value. Refused: this refusal. */
  default <U> Decision<U> then(Function<T, Decision<U>> next) {
    return this instanceof Allowed<T> allowed ? next.apply(allowed.value()) : refused(refusal());
  }
}
