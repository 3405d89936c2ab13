package io.paystream.domain;

import java.util.Currency;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generators of amounts, currencies and account ids for {@link PropertyCheck}. Amounts lean towards
 * the edges (1, 10^15) and towards small values, where rounding and padding bugs live; currencies
 * cover the three ISO 4217 exponents that matter here (0, 2 and 3).
 */
final class MoneySamples {

  static final List<Currency> CURRENCIES =
      List.of("EUR", "USD", "GBP", "CHF", "JPY", "ISK", "KWD", "BHD").stream()
          .map(Currency::getInstance)
          .toList();

  private static final long[] AMOUNT_EDGES = {
    Money.AMOUNT_MIN, 2, 9, 10, 99, 100, 101, Money.AMOUNT_MAX - 1, Money.AMOUNT_MAX
  };

  private MoneySamples() {}

  /** Any amount a movement may carry, 1..10^15 minor units. */
  static long amount(SplittableRandom random) {
    int pick = random.nextInt(8);
    if (pick == 0) {
      return AMOUNT_EDGES[random.nextInt(AMOUNT_EDGES.length)];
    }
    if (pick <= 4) {
      // Log-uniform: as many 3-digit amounts as 15-digit ones.
      long ceiling = 1;
      for (int digits = random.nextInt(1, 16); digits > 0; digits--) {
        ceiling *= 10;
      }
      return random.nextLong(Money.AMOUNT_MIN, ceiling + 1);
    }
    return random.nextLong(Money.AMOUNT_MIN, Money.AMOUNT_MAX + 1);
  }

  static Currency currency(SplittableRandom random) {
    return CURRENCIES.get(random.nextInt(CURRENCIES.size()));
  }

  static Currency otherCurrency(SplittableRandom random, Currency not) {
    Currency other = currency(random);
    while (other.equals(not)) {
      other = currency(random);
    }
    return other;
  }

  static Money money(SplittableRandom random) {
    return Money.of(amount(random), currency(random));
  }

  /** A random (not time-ordered) id, drawn from the seed so that a failing sample replays. */
  static UUID accountId(SplittableRandom random) {
    return new UUID(random.nextLong(), random.nextLong());
  }
}
