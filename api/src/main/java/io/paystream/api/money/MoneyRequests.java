package io.paystream.api.money;

import io.paystream.domain.Money;
import java.util.Currency;
import java.util.UUID;

/** Request bodies of the money-moving POSTs, exactly as the contract names their fields. */
public final class MoneyRequests {

  private MoneyRequests() {}

  /**
   * The amount of a request as a value: out of range is the contract's 422 {@code
   * amount_out_of_range}, decided here, before it becomes {@link Money} (whose constructor treats a
   * bad amount as a bug).
   */
  public static Money money(long amount, Currency currency) {
    Money.refusesAmount(amount)
        .ifPresent(
            refusal -> {
              throw refusal.exception();
            });
    return Money.of(amount, currency);
  }

  /** Longest free text accepted (reference, description). */
  public static final int TEXT_LENGTH_MAX = 140;

  public record DepositRequest(UUID accountId, Long amount, String currency, String reference) {}

  public record TransferRequest(
      UUID fromAccountId, UUID toAccountId, Long amount, String currency, String description) {}
}
