package io.paystream.persistence.withdrawal;

import io.paystream.domain.Iban;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.TransferLimits;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to pay {@code amount} out of a customer account to {@code destination}.
 *
 * @param id the new withdrawal's id, chosen before encryption because the ciphertext is bound to it
 * @param requestedBy the authenticated user; must own {@code accountId} unless {@code asOps}
 * @param destinationCiphertext {@code destination} sealed for {@code id} (never stored in clear)
 * @param metadata the client's labels, kept on the withdrawal
 * @param limits the per-transfer ceiling applies to withdrawals too
 */
public record AcceptWithdrawal(
    UUID id,
    UUID requestedBy,
    boolean asOps,
    UUID accountId,
    Money amount,
    Iban destination,
    byte[] destinationCiphertext,
    Metadata metadata,
    TransferLimits limits) {

  public AcceptWithdrawal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(destinationCiphertext, "destinationCiphertext");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(limits, "limits");
  }
}
