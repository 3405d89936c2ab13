package io.paystream.api.money;

import java.util.UUID;

/** Request bodies of the money-moving POSTs, exactly as the contract names their fields. */
public final class MoneyRequests {

  private MoneyRequests() {}

  /** Longest free text accepted (reference, description). */
  public static final int TEXT_LENGTH_MAX = 140;

  public record DepositRequest(UUID accountId, Long amount, String currency, String reference) {}

  public record TransferRequest(
      UUID fromAccountId, UUID toAccountId, Long amount, String currency, String description) {}
}
