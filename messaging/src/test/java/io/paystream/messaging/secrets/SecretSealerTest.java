package io.paystream.messaging.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.domain.Ids;
import io.paystream.messaging.secrets.SecretSealer.Opened;
import io.paystream.messaging.secrets.SecretSealer.Purpose;
import io.paystream.messaging.testing.LegacySealing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

  private static final String IBAN = "DE89370400440532013000";
  private static final String WEBHOOK_SECRET = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDE";
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final SecretSealer sealer = new SecretSealer(KEY, meters);

  @Test
  void aSealedDestinationOpensForItsOwnWithdrawalAndDoesNotContainTheIban() {
    UUID id = Ids.newId();
    byte[] sealed = sealer.seal(Purpose.PAYOUT_DESTINATION, id, IBAN);

    assertThat(sealer.open(Purpose.PAYOUT_DESTINATION, id, sealed))
        .isEqualTo(new Opened(IBAN, false));
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("370400440532");
    assertThat(sealed).hasSize(SecretSealer.NONCE_BYTES + IBAN.length() + 16);
  }

  @Test
  void sealingTheSameDestinationTwiceUsesAFreshNonceEachTime() {
    UUID id = Ids.newId();
    byte[] first = sealer.seal(Purpose.PAYOUT_DESTINATION, id, IBAN);
    byte[] second = sealer.seal(Purpose.PAYOUT_DESTINATION, id, IBAN);
    assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aDestinationCopiedOntoAnotherWithdrawalDoesNotOpen() {
    byte[] sealed = sealer.seal(Purpose.PAYOUT_DESTINATION, Ids.newId(), IBAN);
    assertThatThrownBy(() -> sealer.open(Purpose.PAYOUT_DESTINATION, Ids.newId(), sealed))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTamperedCiphertextDoesNotOpen() {
    UUID id = Ids.newId();
    byte[] sealed = sealer.seal(Purpose.PAYOUT_DESTINATION, id, IBAN);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> sealer.open(Purpose.PAYOUT_DESTINATION, id, sealed))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Even under the same owner id, which the AAD binding alone would let through. */
  @Test
  void aCiphertextOfOnePurposeNeverOpensAsTheOther() {
    UUID owner = Ids.newId();
    byte[] destination = sealer.seal(Purpose.PAYOUT_DESTINATION, owner, IBAN);
    byte[] webhookSecret = sealer.seal(Purpose.WEBHOOK_SECRET, owner, WEBHOOK_SECRET);

    assertThatThrownBy(() -> sealer.open(Purpose.WEBHOOK_SECRET, owner, destination))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("webhook-secret");
    assertThatThrownBy(() -> sealer.open(Purpose.PAYOUT_DESTINATION, owner, webhookSecret))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("payout-destination");
    assertThat(sealer.open(Purpose.WEBHOOK_SECRET, owner, webhookSecret).secret())
        .isEqualTo(WEBHOOK_SECRET);
  }

  @Test
  void nothingNewIsSealedUnderTheConfiguredKeyItself() {
    UUID owner = Ids.newId();
    for (Purpose purpose : Purpose.values()) {
      byte[] sealed = sealer.seal(purpose, owner, WEBHOOK_SECRET);
      assertThatThrownBy(() -> LegacySealing.open(KEY, owner, sealed))
          .as(purpose.name())
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void aValueSealedBeforeKeysWerePerPurposeStillOpensAndIsReportedForResealing() {
    UUID owner = Ids.newId();
    byte[] old = LegacySealing.seal(KEY, owner, WEBHOOK_SECRET);

    Opened opened = sealer.open(Purpose.WEBHOOK_SECRET, owner, old);

    assertThat(opened).isEqualTo(new Opened(WEBHOOK_SECRET, true));
    assertThat(
            meters
                .get("paystream.secrets.legacy.opened")
                .tag("purpose", "webhook-secret")
                .counter()
                .count())
        .isEqualTo(1.0);
    byte[] resealed = sealer.seal(Purpose.WEBHOOK_SECRET, owner, opened.secret());
    assertThat(sealer.open(Purpose.WEBHOOK_SECRET, owner, resealed).legacyKey()).isFalse();
  }

  @Test
  void aLegacyValueStillOpensOnlyForItsOwnOwner() {
    byte[] old = LegacySealing.seal(KEY, Ids.newId(), IBAN);
    assertThatThrownBy(() -> sealer.open(Purpose.PAYOUT_DESTINATION, Ids.newId(), old))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * Deployments without a key of their own sealed with a key derived from the JWT secret; the same
   * secret must still open those rows.
   */
  @Test
  void aKeyDerivedFromTheJwtSecretIsTheOneUsedBefore() throws Exception {
    String jwtSecret = "integration-test-secret-0123456789abcdef";
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(jwtSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] before =
        hmac.doFinal("paystream payout destination key v1".getBytes(StandardCharsets.UTF_8));
    UUID withdrawal = Ids.newId();
    byte[] old = LegacySealing.seal(before, withdrawal, IBAN);

    SecretSealer derived = SecretSealer.fromBase64OrDerived(null, jwtSecret, meters);

    assertThat(derived.open(Purpose.PAYOUT_DESTINATION, withdrawal, old))
        .isEqualTo(new Opened(IBAN, true));
  }

  /** RFC 5869, appendix A.1 (SHA-256, basic test case): the derivation is HKDF, not lookalike. */
  @Test
  void theKeyOfAPurposeIsDerivedWithHkdfSha256() {
    HexFormat hex = HexFormat.of();
    byte[] okm =
        SecretSealer.hkdfSha256(
            hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
            hex.parseHex("000102030405060708090a0b0c"),
            hex.parseHex("f0f1f2f3f4f5f6f7f8f9"),
            42);

    assertThat(hex.formatHex(okm))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865");
  }

  @Test
  void aKeyOfTheWrongSizeOrNoKeyAtAllIsRefusedAtStartUp() {
    assertThatThrownBy(() -> new SecretSealer(new byte[16], meters))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretSealer.fromBase64("", meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destination-key");
  }
}
