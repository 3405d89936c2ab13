package io.paystream.domain;

import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * An amount of one currency, held as a count of that currency's minor units (ISO 4217 exponent: EUR
 * 2, JPY 0, KWD 3). There is no floating point and no conversion: combining two currencies is a bug
 * and throws.
 *
 * <p>A {@code Money} is always within {@link #AMOUNT_MIN}..{@link #AMOUNT_MAX}; the constructor
 * throws {@link IllegalArgumentException} for anything else, because a bad value reaching it is a
 * bug (a row read back, a sum gone wrong). Client input is checked first with {@link
 * #refusesAmount}, which answers {@link Rejection#AMOUNT_OUT_OF_RANGE}. Balances, which may be
 * zero, use plain {@code long} with {@link Math#addExact} instead.
 */
public record Money(long minorUnits, Currency currency) {

  /** The smallest amount a movement may carry: one minor unit. */
  public static final long AMOUNT_MIN = 1L;

  /** The contract's ceiling, 10^15 minor units: far above any real payment, far below overflow. */
  public static final long AMOUNT_MAX = 1_000_000_000_000_000L;

  public Money {
    Objects.requireNonNull(currency, "currency");
    CurrencyCodes.requireMinorUnits(currency);
    if (!inRange(minorUnits)) {
      throw new IllegalArgumentException(
          "an amount is " + AMOUNT_MIN + ".." + AMOUNT_MAX + " minor units, not " + minorUnits);
    }
  }

  /** Why {@code minorUnits} from a client cannot be an amount, if it cannot. */
  public static Optional<Refusal> refusesAmount(long minorUnits) {
    return inRange(minorUnits)
        ? Optional.empty()
        : Optional.of(
            Refusal.of(
                Rejection.AMOUNT_OUT_OF_RANGE,
                "amount must be between " + AMOUNT_MIN + " and " + AMOUNT_MAX + " minor units"));
  }

  public static Money of(long minorUnits, Currency currency) {
    return new Money(minorUnits, currency);
  }

  public static Money of(long minorUnits, String currencyCode) {
    return new Money(minorUnits, CurrencyCodes.parse(currencyCode));
  }

  /** True if {@code minorUnits} is an amount a movement may carry. */
  public static boolean inRange(long minorUnits) {
    return minorUnits >= AMOUNT_MIN && minorUnits <= AMOUNT_MAX;
  }

  public String currencyCode() {
    return currency.getCurrencyCode();
  }

  /** The number of digits after the decimal point for this currency (EUR 2, JPY 0, KWD 3). */
  public int scale() {
    return currency.getDefaultFractionDigits();
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
  }

  public void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "cannot combine " + currency.getCurrencyCode() + " with " + other.currencyCode());
    }
  }

  /** Human-readable decimal form, exact, for statements and logs ("12.34 EUR"). */
  @Override
  public String toString() {
    return MinorUnits.format(minorUnits, scale()) + " " + currencyCode();
  }
}
