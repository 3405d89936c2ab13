package io.paystream.messaging;

/**
 * Range checks for the configuration records' compact constructors. A limit out of its range stops
 * start-up with an {@link IllegalArgumentException} that names the property as an operator writes
 * it: a value in the wrong unit (seconds where milliseconds were meant) or a zero that would spin
 * must never run quietly.
 */
public final class ConfigurationBounds {

  private ConfigurationBounds() {}

  /** {@code value} if {@code min <= value <= max}; otherwise throws naming {@code property}. */
  public static long check(String property, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          property + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** As {@link #check(String, long, long, long)}, for a fractional limit (a percentage). */
  public static double check(String property, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          property + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** {@code value} unless it is null or blank; otherwise throws naming {@code property}. */
  public static String checkText(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(property + " must not be blank");
    }
    return value;
  }
}
