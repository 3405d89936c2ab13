package io.paystream.domain;

/** Exact decimal rendering of minor-unit counts, for people; never parsed back into money. */
public final class MinorUnits {

  private MinorUnits() {}

  /** Formats {@code minorUnits} with {@code scale} fraction digits: (-1234, 2) gives "-12.34". */
  public static String format(long minorUnits, int scale) {
    if (scale < 0) {
      throw new IllegalArgumentException("scale must not be negative: " + scale);
    }
    if (scale == 0) {
      return Long.toString(minorUnits);
    }
    String digits = Long.toString(Math.abs(minorUnits));
    if (minorUnits == Long.MIN_VALUE) {
      digits = Long.toString(minorUnits).substring(1);
    }
    StringBuilder padded = new StringBuilder();
    for (int i = digits.length(); i <= scale; i++) {
      padded.append('0');
    }
    padded.append(digits);
    int point = padded.length() - scale;
    String sign = minorUnits < 0 ? "-" : "";
    return sign + padded.substring(0, point) + "." + padded.substring(point);
  }
}
