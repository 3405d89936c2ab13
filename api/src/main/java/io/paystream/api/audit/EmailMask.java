package io.paystream.api.audit;

/**
 * Masks an email address for logs and the audit trail: enough to recognise it ({@code
 * a***@example.com}), not enough to harvest it.
 */
public final class EmailMask {

  private EmailMask() {}

  public static String mask(String email) {
    if (email == null) {
      return null;
    }
    String trimmed = email.trim();
    int at = trimmed.lastIndexOf('@');
    if (at <= 0) {
      return "***";
    }
    return trimmed.charAt(0) + "***" + trimmed.substring(at);
  }
}
