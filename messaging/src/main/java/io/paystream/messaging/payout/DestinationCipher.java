package io.paystream.messaging.payout;

import io.paystream.domain.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals payout destinations at rest with AES-256-GCM. Each sealing draws a fresh 96-bit nonce from
 * {@link Ids#random()} (a seeded DRBG: the default SecureRandom may read /dev/urandom on the event
 * loop) and binds the ciphertext to the withdrawal id as associated data, so a sealed destination
 * copied onto another withdrawal's row does not open. Layout: nonce || ciphertext+tag.
 *
 * <p>Random 96-bit nonces are safe for about 2^32 sealings under one key (NIST SP 800-38D 8.3);
 * rotate the key long before that.
 */
public final class DestinationCipher {

  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec key;

  public DestinationCipher(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the destination key must be " + KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    // Load the JCE classes now, at start-up, rather than on the first request's event loop.
    UUID probe = Ids.newId();
    if (!"probe".equals(open(probe, seal(probe, "probe")))) {
      throw new IllegalStateException("AES-GCM round trip failed");
    }
  }

  /** From configuration: base64 of 32 random bytes ({@code openssl rand -base64 32}). */
  /**
   * The configured key, or — when none is configured — one derived from {@code secret} (the JWT
   * secret) by HMAC-SHA256 with a fixed label, so that the jar starts with the contract's variables
   * alone. A deployment should set its own key: with a derived one, rotating the JWT secret would
   * leave the destinations of in-flight withdrawals unreadable.
   */
  public static DestinationCipher fromBase64OrDerived(String base64, String secret) {
    if (base64 != null && !base64.isBlank()) {
      return fromBase64(base64);
    }
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < KEY_BYTES) {
      return fromBase64(base64);
    }
    try {
      javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA256");
      hmac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return new DestinationCipher(
          hmac.doFinal("paystream payout destination key v1".getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  public static DestinationCipher fromBase64(String base64) {
    if (base64 == null || base64.isBlank()) {
      throw new IllegalStateException(
          "paystream.payout.destination-key is not set: give it the"
              + " base64 of 32 random bytes (openssl rand -base64 32)");
    }
    return new DestinationCipher(Base64.getDecoder().decode(base64.trim()));
  }

  public byte[] seal(UUID withdrawalId, String destination) {
    byte[] nonce = new byte[NONCE_BYTES];
    Ids.random().nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(withdrawalId));
      byte[] sealed = cipher.doFinal(destination.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a destination failed", e);
    }
  }

  /** Opens what {@link #seal} produced for the same id; anything else throws. */
  public String open(UUID withdrawalId, byte[] sealed) {
    if (sealed.length <= NONCE_BYTES) {
      throw new IllegalStateException("sealed destination too short");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(withdrawalId));
      return new String(
          cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the destination of " + withdrawalId + " does not open", e);
    }
  }

  private static byte[] associatedData(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }
}
