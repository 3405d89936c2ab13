package io.paystream.tools.payoutsimulator;

import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the simulator listens and how it behaves, from {@code PAYOUT_SIMULATOR_*} environment
 * variables; an unset or blank variable takes its default. A malformed or out-of-range value is
 * refused with a message naming the variable, so a typo fails the start instead of silently running
 * a well-behaved provider.
 *
 * @param host {@code PAYOUT_SIMULATOR_HOST} (127.0.0.1: a local run needs nothing else; a container
 *     sets 0.0.0.0)
 * @param port {@code PAYOUT_SIMULATOR_PORT} (8091, the API's default provider port)
 * @param behaviour {@code _LATENCY_MILLIS} (50: a provider is never instant), {@code
 *     _FAILURE_RATE}, {@code _TIMEOUT_RATE}, {@code _REJECT_RATE} (0: healthy unless asked), {@code
 *     _HANG_MILLIS} (30000: far beyond the API's 3 s call limit)
 * @param journal {@code PAYOUT_SIMULATOR_JOURNAL}, a file the payouts are kept in across restarts
 *     (see {@link PayoutJournal}); unset: in memory only, as tests and a quick local run want
 */
record SimulatorSettings(String host, int port, Behaviour behaviour, Optional<Path> journal) {

  static final String PREFIX = "PAYOUT_SIMULATOR_";

  static SimulatorSettings from(Function<String, String> environment) {
    Reader read = new Reader(environment);
    return new SimulatorSettings(
        read.text("HOST", "127.0.0.1"),
        (int) read.number("PORT", 8091, 0, 65_535),
        new Behaviour(
            read.number("LATENCY_MILLIS", 50, 0, Long.MAX_VALUE),
            read.rate("FAILURE_RATE"),
            read.rate("TIMEOUT_RATE"),
            read.rate("REJECT_RATE"),
            read.number("HANG_MILLIS", 30_000, 0, Long.MAX_VALUE)),
        read.path("JOURNAL"));
  }

  private record Reader(Function<String, String> environment) {

    String text(String name, String fallback) {
      String value = environment.apply(PREFIX + name);
      return value == null || value.isBlank() ? fallback : value.strip();
    }

    long number(String name, long fallback, long min, long max) {
      String value = text(name, Long.toString(fallback));
      long number;
      try {
        number = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw refused(name, value, "a whole number");
      }
      if (number < min || number > max) {
        throw refused(name, value, "between " + min + " and " + max);
      }
      return number;
    }

    Optional<Path> path(String name) {
      String value = text(name, "");
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Path.of(value));
      } catch (InvalidPathException e) {
        throw refused(name, value, "a file path");
      }
    }

    /** A probability per request; 0 unless set. */
    double rate(String name) {
      String value = text(name, "0");
      double rate;
      try {
        rate = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw refused(name, value, "a number between 0 and 1");
      }
      // !(a && b) rather than (a || b): NaN compares false both ways and is refused too.
      if (!(rate >= 0 && rate <= 1)) {
        throw refused(name, value, "a number between 0 and 1");
      }
      return rate;
    }

    private static IllegalArgumentException refused(String name, String value, String wanted) {
      return new IllegalArgumentException(
          PREFIX + name + " is '" + value + "', but must be " + wanted);
    }
  }
}
