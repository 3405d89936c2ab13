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

  /** Why one payment of {@code amount} is too large, if it is ({@code per_transfer_max}). */
  public Optional<Refusal> refusesAmount(Money amount) {
    return perTransferBreach(amount)
        .map(
            name ->
                RiskLimit.PER_TRANSFER_MAX.refusal(
                    "the amount is above the per-transfer limit for " + amount.currencyCode()));
  }

  /**
   * Why {@code amount} may not leave an account whose recent outgoing payments are {@code history},
   * if it may not: the daily total, then the velocity, each with its limit's name. {@code history}
   * may be null only for a currency that does not {@link #needsHistory need} it.
   */
  public Optional<Refusal> refusesOutgoing(Money amount, OutgoingHistory history) {
    Currency currency = amount.currency();
    if (!needsHistory(currency)) {
      return Optional.empty();
    }
    if (history == null) {
      throw new IllegalStateException(
          "the daily and velocity limits of " + amount.currencyCode() + " need the history");
    }
    if (dailyBreach(history.sentToday(), amount).isPresent()) {
      return Optional.of(
          RiskLimit.DAILY_OUTGOING_MAX.refusal(
              "the account's outgoing total today would exceed the daily limit for "
                  + amount.currencyCode()));
    }
    if (velocityBreach(history.sentInWindow(), currency).isPresent()) {
      return Optional.of(
          RiskLimit.VELOCITY_PER_MINUTE.refusal(
              "the account sent too many payments in the last "
                  + VELOCITY_WINDOW_SECONDS
                  + " seconds; retry later"));
    }
    return Optional.empty();
  }

  /**
   * {@code payer} after paying out {@code amount} under these limits, or why not: the per-payment
   * limit, then the payer's own refusal of the debit (status, currency, funds), then the daily and
   * velocity limits. Transfers and withdrawals both pay out through it.
   *
   * @param history the payer's recent outgoing payments; may be null when the currency does not
   *     {@link #needsHistory need} it
   */
  public Decision<Account> payOut(Account payer, Money amount, OutgoingHistory history) {
    Optional<Refusal> tooLarge = refusesAmount(amount);
    if (tooLarge.isPresent()) {
      return Decision.refused(tooLarge.get());
    }
    return payer
        .debit(amount)
        .then(
            debited ->
                refusesOutgoing(amount, history)
                    .<Decision<Account>>map(Decision::refused)
                    .orElseGet(() -> Decision.allowed(debited)));
  }

  /** Whether a check needs the account's recent transfers (and so its row lock). */
  public boolean needsHistory(Currency currency) {
    return dailyOutgoingMax.containsKey(currency) || velocityPerMinuteMax.containsKey(currency);
  }
}
