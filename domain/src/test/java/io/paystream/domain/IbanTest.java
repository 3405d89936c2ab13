package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IbanTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "NO9386011117947",
        "FR1420041010050500013M02606",
        "de89 3704 0044 0532 0130 00"
      })
  void realIbansWithValidChecksumsAreAccepted(String text) {
    Iban iban = Iban.parse(text);
    assertThat(iban.value()).doesNotContain(" ").isUpperCase();
    assertThat(Iban.mod97(iban.value())).isEqualTo(1);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "DE89370400440532013001",
        "DE88370400440532013000",
        "GB82WEST12345698765433",
        "DE8937040044",
        "XX",
        "1289370400440532013000",
        "DE89-3704-0044-0532-0130-00",
        "DE89370400440532013000000000000000000",
        "DE89３７０400440532013000"
      })
  void malformedOrMisTypedIbansAreRefusedAsValidationFailures(String text) {
    assertThatThrownBy(() -> Iban.parse(text))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> assertThat(e.rejection()).isEqualTo(Rejection.VALIDATION_FAILED));
  }

  @Test
  void theMaskedFormKeepsCountryCheckDigitsAndLastFourOnly() {
    Iban iban = Iban.parse("DE89370400440532013000");
    assertThat(iban.masked()).isEqualTo("DE89**************3000");
    assertThat(iban.toString()).isEqualTo(iban.masked()).doesNotContain("37040044");
  }

  @Test
  void aSingleSwappedDigitIsCaughtByTheChecksum() {
    // Adjacent transposition, the commonest typing error.
    assertThatThrownBy(() -> Iban.parse("DE89370400440532010300"))
        .isInstanceOf(RejectedException.class);
  }
}
