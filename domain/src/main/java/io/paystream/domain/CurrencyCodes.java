package io.paystream.domain;

import java.util.Currency;

/**
 * Parses ISO 4217 codes strictly: exactly three upper-case letters naming a currency that has minor
 * units. Lower-case codes, unknown codes and funds/metal codes without an exponent (XAU, XXX) are
 * refused, because an amount in them could not be stated in minor units.
 */
public final class CurrencyCodes {

  private CurrencyCodes() {}

  /**
   * Returns the currency, or throws {@link RejectedException} with {@link
   * Rejection#VALIDATION_FAILED}.
   */
  public static Currency parse(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      throw new RejectedException(
          Rejection.VALIDATION_FAILED, "currency must be an upper-case ISO 4217 code");
    }
    Currency currency;
    try {
      currency = Currency.getInstance(code);
    } catch (IllegalArgumentException unknown) {
      throw new RejectedException(
          Rejection.VALIDATION_FAILED, "unknown ISO 4217 currency: " + code);
    }
    requireMinorUnits(currency);
    return currency;
  }

  /** True if {@code code} would be accepted by {@link #parse(String)}. */
  public static boolean isValid(String code) {
    try {
      parse(code);
      return true;
    } catch (RejectedException e) {
      return false;
    }
  }

  static void requireMinorUnits(Currency currency) {
    if (currency.getDefaultFractionDigits() < 0) {
      throw new RejectedException(
          Rejection.VALIDATION_FAILED,
          "currency " + currency.getCurrencyCode() + " has no minor unit");
    }
  }
}
