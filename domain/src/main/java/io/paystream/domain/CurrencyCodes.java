package io.paystream.domain;

import java.util.Currency;

/**
 * Parses ISO 4217 codes strictly: exactly three upper-case letters naming a currency that has minor
 * units. Lower-case codes, unknown codes and funds/metal codes without an exponent (XAU, XXX) are
 * refused, because an amount in them could not be stated in minor units. Client input is checked
 * with {@link #isValid} first (a 400 naming the field); {@link #parse} refusing a code is a bug
 * (configuration, a row read back) and throws {@link IllegalArgumentException}.
 */
public final class CurrencyCodes {

  private CurrencyCodes() {}

  /** Returns the currency, or throws {@link IllegalArgumentException} saying why not. */
  public static Currency parse(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an upper-case ISO 4217 code: " + code);
    }
    Currency currency;
    try {
      currency = Currency.getInstance(code);
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("unknown ISO 4217 currency: " + code);
    }
    requireMinorUnits(currency);
    return currency;
  }

  /** True if {@code code} would be accepted by {@link #parse(String)}. */
  public static boolean isValid(String code) {
    try {
      parse(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static void requireMinorUnits(Currency currency) {
    if (currency.getDefaultFractionDigits() < 0) {
      throw new IllegalArgumentException(
          "currency " + currency.getCurrencyCode() + " has no minor unit");
    }
  }
}
