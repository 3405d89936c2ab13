package io.paystream.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * A request to move {@code amount} from one customer account to another, as the rules decide it.
 *
 * @param requestedBy the authenticated user; must own {@code fromAccountId} unless {@code asOps}
 * @param asOps true when the caller has the OPS role and may move money from any account
 * @param metadata the client's labels, kept on the transfer
 * @param refundOf the completed transfer this one refunds (payee back to payer), or null
 * @param limits the configured risk limits the transfer must satisfy
 */
public record TransferRequest(
    UUID requestedBy,
    boolean asOps,
    UUID fromAccountId,
    UUID toAccountId,
    Money amount,
    String description,
    Metadata metadata,
    UUID refundOf,
    TransferLimits limits) {

  public TransferRequest {
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(fromAccountId, "fromAccountId");
    Objects.requireNonNull(toAccountId, "toAccountId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(limits, "limits");
  }

  /** Whether the requester may move money out of {@code payer}. */
  public boolean mayDebit(Account payer) {
    return payer.isMovableBy(requestedBy, asOps);
  }
}
