package io.paystream.api.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 keys for the API's own signatures, each derived from one configured secret for one
 * purpose (key separation: a signature made for one purpose never verifies for another, and none
 * verifies as an access token).
 */
public final class SigningKeys {

  /** RFC 2104: an HMAC-SHA256 key shorter than the 32-byte output weakens it. */
  public static final int KEY_BYTES_MIN = 32;

  static final String ALGORITHM = "HmacSHA256";

  private SigningKeys() {}

  /**
   * HMAC-SHA256 of {@code purpose} under {@code secret}.
   *
   * @throws IllegalStateException if the secret is missing or shorter than {@link #KEY_BYTES_MIN}
   *     bytes; {@code setting} names it in the message
   */
  public static byte[] derive(String secret, String setting, String purpose) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < KEY_BYTES_MIN) {
      throw new IllegalStateException(
          setting + " must be set to at least " + KEY_BYTES_MIN + " bytes");
    }
    return mac(secret.getBytes(StandardCharsets.UTF_8), purpose.getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA256 of {@code message} under {@code key}. */
  public static byte[] mac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + ALGORITHM, e);
    }
  }
}
