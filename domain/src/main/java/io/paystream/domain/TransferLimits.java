package io.paystream.domain;

import java.util.Currency;
import java.util.Map;
import java.util.Optional;

/**
 * Configured ceilings on what one account may send: per transfer, and in total per UTC day.
 * A currency without an entry has no limit beyond {@link Money#AMOUNT_MAX}.
 *
 * @param perTransferMax minor units per transfer, by currency
 * @param dailyOutgoingMax minor units sent per account per UTC day, by currency
 */
public record TransferLimits(Map<Currency, Long> perTransferMax,
    Map<Currency, Long> dailyOutgoingMax) {

  public TransferLimits {
    perTransferMax = Map.copyOf(perTransferMax);
    dailyOutgoingMax = Map.copyOf(dailyOutgoingMax);
  }

  public static TransferLimits none() {
    return new TransferLimits(Map.of(), Map.of());
  }

  /** The name of the per-transfer limit breached by {@code amount}, if any. */
  public Optional<String> perTransferBreach(Money amount) {
    Long max = perTransferMax.get(amount.currency());
    if (max != null && amount.minorUnits() > max) {
      return Optional.of("per_transfer_max");
    }
    return Optional.empty();
  }

  /** The name of the daily limit breached when {@code amount} joins {@code sentToday}, if any. */
  public Optional<String> dailyBreach(long sentToday, Money amount) {
    Long max = dailyOutgoingMax.get(amount.currency());
    if (max != null && Math.addExact(sentToday, amount.minorUnits()) > max) {
      return Optional.of("daily_outgoing_max");
    }
    return Optional.empty();
  }

  /** The daily ceiling for {@code currency}, or empty when there is none to check. */
  public Optional<Long> dailyMax(Currency currency) {
    return Optional.ofNullable(dailyOutgoingMax.get(currency));
  }
}
