package io.paystream.persistence.transfer;

import io.paystream.domain.Money;
import io.paystream.domain.TransferLimits;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to move {@code amount} from one customer account to another.
 *
 * @param requestedBy the authenticated user; must own {@code fromAccountId} unless {@code asOps}
 * @param asOps true when the caller has the OPS role and may move money from any account
 */
public record AcceptTransfer(
    UUID requestedBy,
    boolean asOps,
    UUID fromAccountId,
    UUID toAccountId,
    Money amount,
    String description,
    TransferLimits limits) {

  public AcceptTransfer {
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(fromAccountId, "fromAccountId");
    Objects.requireNonNull(toAccountId, "toAccountId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(limits, "limits");
  }
}
