package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency USD = Currency.getInstance("USD");
  private static final Currency JPY = Currency.getInstance("JPY");
  private static final Currency KWD = Currency.getInstance("KWD");

  // --- amounts -----------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      longs = {
        0L,
        -1L,
        1_000_000_000_000_001L,
        Long.MIN_VALUE,
        Long.MAX_VALUE,
        -1_000_000_000_000_000L
      })
  void amountOutsideOneToTenToTheFifteenIsRefusedAsOutOfRange(long minorUnits) {
    assertThat(Money.refusesAmount(minorUnits).map(Refusal::rejection))
        .contains(Rejection.AMOUNT_OUT_OF_RANGE);
    assertThat(Money.inRange(minorUnits)).isFalse();
    // Past the client's check, a bad amount is a bug: never a client's 422.
    assertThatThrownBy(() -> Money.of(minorUnits, EUR))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.of(minorUnits, "EUR"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 2L, 999_999_999_999_999L, 1_000_000_000_000_000L})
  void amountsFromOneMinorUnitToTenToTheFifteenAreAccepted(long minorUnits) {
    Money money = Money.of(minorUnits, "EUR");

    assertThat(money.minorUnits()).isEqualTo(minorUnits);
    assertThat(money.currency()).isEqualTo(EUR);
    assertThat(Money.inRange(minorUnits)).isTrue();
  }

  @Test
  void boundsAreOneMinorUnitAndTenToTheFifteen() {
    assertThat(Money.AMOUNT_MIN).isEqualTo(1L);
    assertThat(Money.AMOUNT_MAX).isEqualTo(1_000_000_000_000_000L);
  }

  // --- currencies --------------------------------------------------------------------------

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "eur",
        "Eur",
        "eUR",
        "EU",
        "EURO",
        "E",
        "ABC",
        "ZZZ",
        "XAU",
        "XXX",
        "XTS",
        "XDR",
        " EUR",
        "EUR ",
        "E1R",
        "E-R",
        "\u00c9UR",
        "ＥＵＲ"
      })
  void currencyCodeThatIsNotAnUpperCaseIsoCodeWithMinorUnitsIsRefused(String code) {
    assertThatThrownBy(() -> Money.of(100, code)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CurrencyCodes.parse(code))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CurrencyCodes.isValid(code)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"XAU", "XXX", "XTS"})
  void currencyWithoutMinorUnitIsRefusedEvenWhenPassedAsACurrencyObject(String code) {
    Currency noMinorUnit = Currency.getInstance(code);

    assertThatThrownBy(() -> Money.of(1, noMinorUnit)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullCurrencyObjectIsABugNotARejection() {
    assertThatNullPointerException().isThrownBy(() -> Money.of(1, (Currency) null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"EUR", "USD", "JPY", "KWD", "CHF", "ISK", "BHD"})
  void upperCaseIsoCodeWithMinorUnitsIsAccepted(String code) {
    assertThat(CurrencyCodes.parse(code)).isEqualTo(Currency.getInstance(code));
    assertThat(CurrencyCodes.isValid(code)).isTrue();
    assertThat(Money.of(1, code).currencyCode()).isEqualTo(code);
  }

  @ParameterizedTest
  @CsvSource({"EUR, 2", "USD, 2", "JPY, 0", "ISK, 0", "KWD, 3", "BHD, 3"})
  void scaleIsTheIsoExponentOfTheCurrency(String code, int scale) {
    assertThat(Money.of(1, code).scale()).isEqualTo(scale);
  }

  @Test
  void moneyBuiltFromACodeEqualsMoneyBuiltFromTheCurrency() {
    assertThat(Money.of(1234, "EUR")).isEqualTo(Money.of(1234, EUR));
    assertThat(Money.of(1234, "EUR")).isNotEqualTo(Money.of(1234, USD));
    assertThat(Money.of(1234, "EUR")).isNotEqualTo(Money.of(1235, EUR));
  }

  // --- plus --------------------------------------------------------------------------------

  @Test
  void plusAddsMinorUnitsInTheSameCurrency() {
    assertThat(Money.of(1234, EUR).plus(Money.of(66, EUR))).isEqualTo(Money.of(1300, EUR));
    assertThat(Money.of(Money.AMOUNT_MAX - 1, JPY).plus(Money.of(1, JPY)))
        .isEqualTo(Money.of(Money.AMOUNT_MAX, JPY));
  }

  @Test
  void plusIsExactAndCommutativeForAnySumWithinRange() {
    PropertyCheck.forAll(
        random -> {
          Currency currency = MoneySamples.currency(random);
          long a = MoneySamples.amount(random);
          // Half the time right up to (and one past) the ceiling, where overflow would show.
          long b =
              random.nextBoolean()
                  ? MoneySamples.amount(random)
                  : random.nextLong(Money.AMOUNT_MIN, Money.AMOUNT_MAX - a + 2);
          return new Addends(Money.of(a, currency), Money.of(b, currency));
        },
        addends -> {
          long exact = addends.a().minorUnits() + addends.b().minorUnits();
          if (exact <= Money.AMOUNT_MAX) {
            assertThat(addends.a().plus(addends.b()))
                .isEqualTo(addends.b().plus(addends.a()))
                .isEqualTo(Money.of(exact, addends.a().currency()));
          } else {
            assertThatThrownBy(() -> addends.a().plus(addends.b()))
                .isInstanceOf(IllegalArgumentException.class);
          }
        });
  }

  @Test
  void plusBeyondTheCeilingIsRefusedAndNeverWrapsAround() {
    Money max = Money.of(Money.AMOUNT_MAX, EUR);

    assertThatThrownBy(() -> max.plus(Money.of(1, EUR)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> max.plus(max)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void plusOfTwoCurrenciesThrowsInsteadOfConverting() {
    assertThatThrownBy(() -> Money.of(1, EUR).plus(Money.of(1, USD)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EUR")
        .hasMessageContaining("USD");
    assertThatThrownBy(() -> Money.of(Money.AMOUNT_MAX, JPY).plus(Money.of(Money.AMOUNT_MAX, KWD)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.of(5, EUR).requireSameCurrency(Money.of(5, JPY)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- rendering ---------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    "1234, EUR, 12.34 EUR",
    "5, JPY, 5 JPY",
    "1005, KWD, 1.005 KWD",
    "1, EUR, 0.01 EUR",
    "10, EUR, 0.10 EUR",
    "100, EUR, 1.00 EUR",
    "1, KWD, 0.001 KWD",
    "1000000000000000, EUR, 10000000000000.00 EUR",
    "1000000000000000, JPY, 1000000000000000 JPY",
  })
  void toStringIsTheExactDecimalAmountThenTheCode(long minorUnits, String code, String text) {
    assertThat(Money.of(minorUnits, code)).hasToString(text);
  }

  @ParameterizedTest
  @CsvSource({
    "-1234, 2, -12.34",
    "1234, 2, 12.34",
    "0, 2, 0.00",
    "0, 0, 0",
    "0, 3, 0.000",
    "5, 2, 0.05",
    "-5, 2, -0.05",
    "-50, 2, -0.50",
    "-100, 2, -1.00",
    "7, 0, 7",
    "-7, 0, -7",
    "1005, 3, 1.005",
    "-1, 3, -0.001",
    "1, 4, 0.0001",
    "-9223372036854775808, 0, -9223372036854775808",
    "-9223372036854775808, 2, -92233720368547758.08",
    "-9223372036854775808, 19, -0.9223372036854775808",
    "-9223372036854775808, 20, -0.09223372036854775808",
    "9223372036854775807, 2, 92233720368547758.07",
  })
  void minorUnitsFormatIsExactForNegativesZeroAndSmallValues(
      long minorUnits, int scale, String text) {
    assertThat(MinorUnits.format(minorUnits, scale)).isEqualTo(text);
  }

  @Test
  void minorUnitsFormatAgreesWithBigDecimalForAnyLongAndScale() {
    // BigDecimal only as an independent oracle for the rendering; balances never use it.
    PropertyCheck.forAll(
        random -> new Formatted(anyLong(random), random.nextInt(0, 6)),
        sample ->
            assertThat(MinorUnits.format(sample.minorUnits(), sample.scale()))
                .isEqualTo(
                    BigDecimal.valueOf(sample.minorUnits(), sample.scale()).toPlainString()));
  }

  @Test
  void minorUnitsFormatRefusesANegativeScale() {
    assertThatThrownBy(() -> MinorUnits.format(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static long anyLong(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> new long[] {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE}[random.nextInt(5)];
      case 1 -> random.nextLong(-100_000, 100_000);
      default -> random.nextLong();
    };
  }

  private record Addends(Money a, Money b) {}

  private record Formatted(long minorUnits, int scale) {}
}
