package io.paystream.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A payout destination in IBAN shape (ISO 13616): two letters of country, two check digits, and
 * 11..30 alphanumerics, whose ISO 7064 mod-97 checksum is 1. Spaces a person types are dropped and
 * letters upper-cased. Country-specific lengths are the provider's business: the shape and the
 * checksum catch typing errors, which is what this check is for.
 *
 * <p>{@link #toString()} is the masked form, so an IBAN never lands whole in a log by accident.
 */
public final class Iban {

  /** ISO 13616: the longest IBAN (Saint Lucia, Malta ...) has 32 characters; 34 is the cap. */
  public static final int LENGTH_MAX = 34;

  /** The shortest IBAN in use (Norway) has 15 characters. */
  public static final int LENGTH_MIN = 15;

  private static final Pattern SHAPE = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");

  private final String value;

  private Iban(String value) {
    this.value = value;
  }

  /** Parses and checks a client's text; anything else is {@link Rejection#VALIDATION_FAILED}. */
  public static Iban parse(String text) {
    if (text == null || text.length() > LENGTH_MAX + LENGTH_MAX / 4) {
      throw invalid();
    }
    String compact = text.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    if (compact.length() < LENGTH_MIN
        || compact.length() > LENGTH_MAX
        || !SHAPE.matcher(compact).matches()
        || mod97(compact) != 1) {
      throw invalid();
    }
    return new Iban(compact);
  }

  /**
   * ISO 7064 MOD 97-10 over the IBAN rotated by four, letters as 10..35; computed digit by digit so
   * that no number exceeds a long.
   */
  static int mod97(String compact) {
    String rotated = compact.substring(4) + compact.substring(0, 4);
    int remainder = 0;
    for (int i = 0; i < rotated.length(); i++) {
      int digit = Character.digit(rotated.charAt(i), 36);
      remainder = digit < 10 ? (remainder * 10 + digit) % 97 : (remainder * 100 + digit) % 97;
    }
    return remainder;
  }

  private static RejectedException invalid() {
    return new RejectedException(
        Rejection.VALIDATION_FAILED, "destination must be an IBAN with a valid checksum");
  }

  /** The whole IBAN, compact: only for encryption and the provider call. */
  public String value() {
    return value;
  }

  /**
   * Country, check digits and the last four characters, the rest as '*': enough for a person to
   * recognise their account, too little to pay into it.
   */
  public String masked() {
    return value.substring(0, 4)
        + "*".repeat(value.length() - 8)
        + value.substring(value.length() - 4);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Iban iban && iban.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return masked();
  }
}
