package io.paystream.domain;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Checks a property on generated samples, the way a property-based testing library would, minus
 * shrinking. The seed is fixed so that a failure replays exactly on every machine; pass {@code
 * -Dpaystream.property.seed=N} to explore other samples.
 *
 * <p>Hand-written rather than jqwik on purpose: jqwik 1.10's maintainers ask that it not be used
 * with AI coding agents (its "Anti-AI Usage Clause"), and it is built for JUnit Platform 1.x while
 * this build runs Platform 6. A generator plus a loop is all these domain properties need.
 */
final class PropertyCheck {

  /** Enough samples to hit the edge values of every generator many times, still well under 1 s. */
  static final int TRIES_DEFAULT = 1_000;

  private static final long SEED_DEFAULT = 0x5EED_2026_1122L;

  private PropertyCheck() {}

  static <T> void forAll(Function<SplittableRandom, T> generator, Consumer<T> property) {
    forAll(TRIES_DEFAULT, generator, property);
  }

  static <T> void forAll(int tries, Function<SplittableRandom, T> generator, Consumer<T> property) {
    long seed = Long.getLong("paystream.property.seed", SEED_DEFAULT);
    SplittableRandom random = new SplittableRandom(seed);
    for (int attempt = 1; attempt <= tries; attempt++) {
      T sample = generator.apply(random);
      try {
        property.accept(sample);
      } catch (AssertionError | RuntimeException falsified) {
        throw new AssertionError(
            "property falsified on try "
                + attempt
                + " of "
                + tries
                + " (seed "
                + seed
                + ") by sample: "
                + sample,
            falsified);
      }
    }
  }
}
