package io.paystream.persistence.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import reactor.core.scheduler.Schedulers;

/**
 * How a test waits for work another thread does: it polls a condition until the condition holds or
 * a deadline passes, then fails naming what it waited for and what it saw last. Tests never sleep a
 * fixed time instead: too short is flaky, too long is slow, and a sleep that is meant to prove that
 * nothing happened proves nothing when the machine is busy. Such a test waits for a positive signal
 * that the work got past the point where the unwanted effect would have shown.
 *
 * <p>Blocking: it runs on the test thread. It refuses a Reactor or Netty thread, where BlockHound
 * would fail it anyway, and where it would stall the very work it waits for.
 *
 * <p>The probe runs at once, then after pauses that double from {@link #POLL_PAUSE_MIN_MILLIS} to
 * {@link #POLL_PAUSE_MAX_MILLIS}; its exceptions fail the wait at once.
 */
public final class Eventually {

  /** The first pause: most conditions hold within a few milliseconds of being polled for. */
  static final long POLL_PAUSE_MIN_MILLIS = 10;

  /**
   * The longest pause: a probe is often an HTTP request or a query, and more of them would compete
   * with the work waited for on a two-core machine; a tenth of a second is still quick to notice.
   */
  static final long POLL_PAUSE_MAX_MILLIS = 100;

  private Eventually() {}

  /** Waits until {@code condition} holds; fails after {@code timeout}. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    poll(timeout, what, condition::getAsBoolean, Boolean::booleanValue, false);
  }

  /**
   * Waits until what {@code probe} reads satisfies {@code until}, and returns that; fails after
   * {@code timeout} with the last value read.
   */
  public static <T> T await(
      Duration timeout, String what, Supplier<T> probe, Predicate<? super T> until) {
    return poll(timeout, what, probe, until, true);
  }

  /** Waits until {@code probe} finds something, and returns it; fails after {@code timeout}. */
  public static <T> T awaitPresent(Duration timeout, String what, Supplier<Optional<T>> probe) {
    return poll(timeout, what, probe, Optional::isPresent, false).orElseThrow();
  }

  private static <T> T poll(
      Duration timeout,
      String what,
      Supplier<T> probe,
      Predicate<? super T> until,
      boolean showLast) {
    if (Schedulers.isInNonBlockingThread()) {
      throw new IllegalStateException(
          "waiting for " + what + " on " + Thread.currentThread().getName() + ", which must not");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = POLL_PAUSE_MIN_MILLIS;
    while (true) {
      T seen = probe.get();
      if (until.test(seen)) {
        return seen;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after "
                + timeout
                + " waiting for "
                + what
                + (showLast ? "; saw " + seen : ""));
      }
      sleep(pause, what);
      pause = Math.min(pause * 2, POLL_PAUSE_MAX_MILLIS);
    }
  }

  private static void sleep(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }
}
