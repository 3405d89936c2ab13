package io.paystream.messaging.testing;

import io.paystream.domain.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sealing as it was before keys were per purpose (the former {@code DestinationCipher}): AES-GCM
 * under the configured key itself, the owner id as associated data, nonce || ciphertext+tag. Rows
 * written that way are in existing databases; tests make such rows with this, and open new ones
 * with it to prove that they are not under that key.
 */
public final class LegacySealing {

  private LegacySealing() {}

  public static byte[] seal(byte[] key, UUID owner, String secret) {
    byte[] nonce = new byte[12];
    Ids.random().nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(owner(owner));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The plaintext, or throws when {@code sealed} is not under {@code key} for {@code owner}. */
  public static String open(byte[] key, UUID owner, byte[] sealed) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, sealed, 0, 12));
    cipher.updateAAD(owner(owner));
    return new String(cipher.doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8);
  }

  private static byte[] owner(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }
}
