package io.paystream.domain;

import java.util.Currency;
import java.util.Map;
import java.util.Optional;

/**
 * Configured ceilings on what one account may send ({@link RiskLimit}): per transfer, in total per
 * UTC day, and in transfers per minute. A currency without an entry has no limit of that kind
 * beyond {@link Money#AMOUNT_MAX}.
 *
 * @param perTransferMax minor units per transfer, by currency
 * @param dailyOutgoingMax minor units sent per account per UTC day, by currency
 * @param velocityPerMinuteMax transfers sent per account within one minute, by currency
 */
public record TransferLimits(
    Map<Currency, Long> perTransferMax,
    Map<Currency, Long> dailyOutgoingMax,
    Map<Currency, Integer> velocityPerMinuteMax) {

  /** The window of {@link RiskLimit#VELOCITY_PER_MINUTE}. */
  public static final int VELOCITY_WINDOW_SECONDS = 60;

  public TransferLimits {
    perTransferMax = Map.copyOf(perTransferMax);
    dailyOutgoingMax = Map.copyOf(dailyOutgoingMax);
    velocityPerMinuteMax = Map.copyOf(velocityPerMinuteMax);
  }

  public TransferLimits(Map<Currency, Long> perTransferMax, Map<Currency, Long> dailyOutgoingMax) {
    this(perTransferMax, dailyOutgoingMax, Map.of());
  }

  public static TransferLimits none() {
    return new TransferLimits(Map.of(), Map.of(), Map.of());
  }

  /** The name of the per-transfer limit breached by {@code amount}, if any. */
  public Optional<String> perTransferBreach(Money amount) {
    Long max = perTransferMax.get(amount.currency());
    if (max != null && amount.minorUnits() > max) {
      return Optional.of(RiskLimit.PER_TRANSFER_MAX.limitName());
    }
    return Optional.empty();
  }

  /** The name of the daily limit breached when {@code amount} joins {@code sentToday}, if any. */
  public Optional<String> dailyBreach(long sentToday, Money amount) {
    Long max = dailyOutgoingMax.get(amount.currency());
    if (max != null && Math.addExact(sentToday, amount.minorUnits()) > max) {
      return Optional.of(RiskLimit.DAILY_OUTGOING_MAX.limitName());
    }
    return Optional.empty();
  }

  /** The daily ceiling for {@code currency}, or empty when there is none to check. */
  public Optional<Long> dailyMax(Currency currency) {
    return Optional.ofNullable(dailyOutgoingMax.get(currency));
  }

  /**
   * The name of the velocity limit breached when one more transfer joins the {@code sentInWindow}
   * transfers the account sent in the last {@link #VELOCITY_WINDOW_SECONDS}, if any.
   */
  public Optional<String> velocityBreach(long sentInWindow, Currency currency) {
    Integer max = velocityPerMinuteMax.get(currency);
    if (max != null && sentInWindow + 1 > max) {
      return Optional.of(RiskLimit.VELOCITY_PER_MINUTE.limitName());
    }
    return Optional.empty();
  }

  /** Whether a check needs the account's recent transfers (and so its row lock). */
  public boolean needsHistory(Currency currency) {
    return dailyOutgoingMax.containsKey(currency) || velocityPerMinuteMax.containsKey(currency);
  }
}
