package io.paystream.api.money;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.paystream.domain.Money;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;
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

  /**
   * A request's metadata in its canonical form for the idempotency fingerprint: keys sorted, and
   * null for none, so that the order of the pairs does not matter and a request without metadata
   * (absent or {@code {}}) is fingerprinted exactly as before metadata existed.
   */
  public static Map<String, Object> canonical(Map<String, Object> metadata) {
    return metadata == null || metadata.isEmpty() ? null : new TreeMap<>(metadata);
  }

  public record DepositRequest(
      UUID accountId,
      Long amount,
      String currency,
      String reference,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> metadata) {

    DepositRequest canonical() {
      return new DepositRequest(
          accountId, amount, currency, reference, MoneyRequests.canonical(metadata));
    }
  }

  public record TransferRequest(
      UUID fromAccountId,
      UUID toAccountId,
      Long amount,
      String currency,
      String description,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> metadata) {

    TransferRequest canonical() {
      return new TransferRequest(
          fromAccountId,
          toAccountId,
          amount,
          currency,
          description,
          MoneyRequests.canonical(metadata));
    }
  }
}
