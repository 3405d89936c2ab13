package io.paystream.api.auth;

import io.paystream.api.web.FieldChecks;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one way an email address enters Paystream: registration, login and the OPS bootstrap all
 * normalise and validate through {@link #normalise}, so an address that registers can always log
 * in, and one that could never log in never registers.
 */
public final class EmailAddresses {

  /** RFC 5321 caps an address at 254 characters. */
  public static final int LENGTH_MAX = 254;

  /**
   * Deliberately simple: one @, a dot in the domain, no whitespace (Unicode's included). Real proof
   * is a mail round trip.
   */
  private static final Pattern SHAPE = Pattern.compile("(?U)^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private EmailAddresses() {}

  /**
   * The normalised address (surrounding whitespace stripped, Unicode NFC, lower case), or null
   * after recording in {@code checks} why {@code raw} is not an address: missing, not plain text
   * (control characters, lone surrogates), too long, or not shaped like an address.
   */
  public static String normalise(FieldChecks checks, String field, String raw) {
    if (raw == null || raw.isBlank()) {
      checks.fail(field, "is required");
      return null;
    }
    // Before stripping: strip() would silently drop leading or trailing control characters.
    if (!checks.plainText(field, raw)) {
      return null;
    }
    String email = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    if (email.length() > LENGTH_MAX || !SHAPE.matcher(email).matches()) {
      checks.fail(field, "must be a valid email address");
      return null;
    }
    return email;
  }
}
