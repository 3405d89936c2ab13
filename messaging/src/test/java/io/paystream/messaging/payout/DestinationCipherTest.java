package io.paystream.messaging.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.domain.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DestinationCipherTest {

  private static final String IBAN = "DE89370400440532013000";
  private final DestinationCipher cipher = new DestinationCipher(new byte[32]);

  @Test
  void aSealedDestinationOpensForItsOwnWithdrawalAndDoesNotContainTheIban() {
    UUID id = Ids.newId();
    byte[] sealed = cipher.seal(id, IBAN);

    assertThat(cipher.open(id, sealed)).isEqualTo(IBAN);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("370400440532");
    assertThat(sealed).hasSize(DestinationCipher.NONCE_BYTES + IBAN.length() + 16);
  }

  @Test
  void sealingTheSameDestinationTwiceUsesAFreshNonceEachTime() {
    UUID id = Ids.newId();
    byte[] first = cipher.seal(id, IBAN);
    byte[] second = cipher.seal(id, IBAN);
    assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aDestinationCopiedOntoAnotherWithdrawalDoesNotOpen() {
    byte[] sealed = cipher.seal(Ids.newId(), IBAN);
    assertThatThrownBy(() -> cipher.open(Ids.newId(), sealed))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTamperedCiphertextDoesNotOpen() {
    UUID id = Ids.newId();
    byte[] sealed = cipher.seal(id, IBAN);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher.open(id, sealed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aKeyOfTheWrongSizeOrNoKeyAtAllIsRefusedAtStartUp() {
    assertThatThrownBy(() -> new DestinationCipher(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DestinationCipher.fromBase64(""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destination-key");
  }
}
