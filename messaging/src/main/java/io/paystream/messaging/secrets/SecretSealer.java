package io.paystream.messaging.secrets;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.domain.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets stored at rest (payout destinations, webhook signing secrets) with AES-256-GCM,
 * under a key of their own per {@link Purpose}: each is derived from the configured key by
 * HKDF-SHA256 (RFC 5869) with the purpose's fixed label, so a ciphertext of one purpose never opens
 * as another. Each sealing draws a fresh 96-bit nonce from {@link Ids#random()} (a seeded DRBG: the
 * default SecureRandom may read /dev/urandom on the event loop) and binds the ciphertext to its
 * owner's id (the withdrawal, the webhook endpoint) as associated data, so a value copied onto
 * another row does not open. Layout: nonce || ciphertext+tag.
 *
 * <p><b>Values sealed before keys were per purpose</b> were sealed with the configured key itself
 * (the legacy key). {@link #open} tries the purpose's key, then the legacy key, and says which one
 * opened ({@link Opened#legacyKey()}); nothing new is ever sealed with the legacy key. Chosen over
 * a one-time migration because the key lives only in the application (a SQL migration cannot
 * re-encrypt) and this needs no deployment step: old rows keep opening, and each caller re-seals
 * what it keeps ({@code WebhookSender} re-seals an endpoint's secret at its next delivery; a payout
 * destination is read only while its withdrawal is in flight, so old ones drain by themselves).
 * {@code paystream.secrets.legacy.opened} counts the legacy opens per purpose: at zero, the
 * fallback can be removed. Until then a legacy value of one purpose could still open as the other,
 * but only under the same owner id, which the server never gives to a withdrawal and an endpoint
 * both.
 *
 * <p>Random 96-bit nonces are safe for about 2^32 sealings under one key (NIST SP 800-38D 8.3);
 * rotate the configured key long before that.
 */
public final class SecretSealer {

  /** What a sealed value is; the label derives its key and must never change. */
  public enum Purpose {
    PAYOUT_DESTINATION("paystream secret sealer: payout destination"),
    WEBHOOK_SECRET("paystream secret sealer: webhook signing secret");

    private final String label;

    Purpose(String label) {
      this.label = label;
    }

    String tag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * An opened value, and whether it was sealed with the legacy key (then the caller should seal it
   * again and store the new ciphertext).
   */
  public record Opened(String secret, boolean legacyKey) {}

  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final String HMAC = "HmacSHA256";

  /** The label that derived the configured key from the JWT secret before keys were per purpose. */
  private static final String JWT_DERIVED_KEY_LABEL = "paystream payout destination key v1";

  private final Map<Purpose, SecretKeySpec> keys = new EnumMap<>(Purpose.class);
  private final Map<Purpose, Counter> legacyOpens = new EnumMap<>(Purpose.class);
  private final SecretKeySpec legacy;

  public SecretSealer(byte[] configuredKey, MeterRegistry meters) {
    if (configuredKey == null || configuredKey.length != KEY_BYTES) {
      throw new IllegalArgumentException("the sealing key must be " + KEY_BYTES + " bytes");
    }
    this.legacy = new SecretKeySpec(configuredKey.clone(), "AES");
    for (Purpose purpose : Purpose.values()) {
      keys.put(
          purpose,
          new SecretKeySpec(
              hkdfSha256(
                  configuredKey,
                  new byte[0],
                  purpose.label.getBytes(StandardCharsets.UTF_8),
                  KEY_BYTES),
              "AES"));
      legacyOpens.put(
          purpose,
          Counter.builder("paystream.secrets.legacy.opened")
              .description(
                  "sealed values opened with the key used before keys were per purpose;"
                      + " at zero the fallback can go")
              .tag("purpose", purpose.tag())
              .register(meters));
    }
    // Load the JCE classes now, at start-up, rather than on the first request's event loop.
    UUID probe = Ids.newId();
    for (Purpose purpose : Purpose.values()) {
      if (!"probe".equals(open(purpose, probe, seal(purpose, probe, "probe")).secret())) {
        throw new IllegalStateException("AES-GCM round trip failed");
      }
    }
  }

  /**
   * The configured key, or — when none is configured — one derived from {@code secret} (the JWT
   * secret) by HMAC-SHA256 with a fixed label, so that the jar starts with the contract's variables
   * alone. A deployment should set its own key: with a derived one, rotating the JWT secret would
   * leave every sealed value unreadable.
   */
  public static SecretSealer fromBase64OrDerived(
      String base64, String secret, MeterRegistry meters) {
    if (base64 != null && !base64.isBlank()) {
      return fromBase64(base64, meters);
    }
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < KEY_BYTES) {
      return fromBase64(base64, meters);
    }
    return new SecretSealer(
        hmacSha256(
            secret.getBytes(StandardCharsets.UTF_8),
            JWT_DERIVED_KEY_LABEL.getBytes(StandardCharsets.UTF_8)),
        meters);
  }

  /** From configuration: base64 of 32 random bytes ({@code openssl rand -base64 32}). */
  public static SecretSealer fromBase64(String base64, MeterRegistry meters) {
    if (base64 == null || base64.isBlank()) {
      throw new IllegalStateException(
          "paystream.payout.destination-key is not set: give it the"
              + " base64 of 32 random bytes (openssl rand -base64 32)");
    }
    return new SecretSealer(Base64.getDecoder().decode(base64.trim()), meters);
  }

  /** Seals {@code secret} for {@code owner} under the key of {@code purpose}. */
  public byte[] seal(Purpose purpose, UUID owner, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    Ids.random().nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(purpose), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(owner));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a " + purpose.tag() + " failed", e);
    }
  }

  /**
   * Opens what {@link #seal} produced for the same purpose and owner, or what was sealed for the
   * same owner with the legacy key; anything else throws {@link IllegalStateException}.
   */
  public Opened open(Purpose purpose, UUID owner, byte[] sealed) {
    if (sealed.length <= NONCE_BYTES) {
      throw new IllegalStateException("the sealed " + purpose.tag() + " is too short");
    }
    try {
      return new Opened(decrypt(keys.get(purpose), owner, sealed), false);
    } catch (AEADBadTagException notThisKey) {
      try {
        String secret = decrypt(legacy, owner, sealed);
        legacyOpens.get(purpose).increment();
        return new Opened(secret, true);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            "the " + purpose.tag() + " of " + owner + " does not open", notThisKey);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "opening the " + purpose.tag() + " of " + owner + " failed", e);
    }
  }

  private static String decrypt(SecretKeySpec key, UUID owner, byte[] sealed)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
    cipher.updateAAD(associatedData(owner));
    return new String(
        cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
  }

  private static byte[] associatedData(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  /**
   * HKDF with HMAC-SHA256 (RFC 5869): extract a pseudorandom key from {@code inputKey} and {@code
   * salt} (empty means HashLen zeros), then expand it with {@code info} to {@code length} bytes.
   */
  static byte[] hkdfSha256(byte[] inputKey, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > 255 * 32) {
      throw new IllegalArgumentException("HKDF-SHA256 yields 1 to 8160 bytes, not " + length);
    }
    byte[] pseudorandomKey = hmacSha256(salt.length == 0 ? new byte[32] : salt, inputKey);
    byte[] output = new byte[length];
    byte[] block = new byte[0];
    for (int counter = 1, filled = 0; filled < length; counter++) {
      byte[] input =
          ByteBuffer.allocate(block.length + info.length + 1)
              .put(block)
              .put(info)
              .put((byte) counter)
              .array();
      block = hmacSha256(pseudorandomKey, input);
      int take = Math.min(block.length, length - filled);
      System.arraycopy(block, 0, output, filled, take);
      filled += take;
    }
    return output;
  }

  private static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
