package io.paystream.api.withdrawal;

import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.money.MoneyPolicy;
import io.paystream.api.recent.RecentEntriesCache;
import io.paystream.api.security.CurrentUser;
import io.paystream.domain.Iban;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.messaging.secrets.SecretSealer.Purpose;
import io.paystream.persistence.idempotency.StoredResponse;
import io.paystream.persistence.withdrawal.AcceptWithdrawal;
import io.paystream.persistence.withdrawal.WithdrawalDocument;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The withdrawal use case, its accepting side: one transaction (the idempotency record, the debit
 * into PAYOUT with the destination sealed for the new id, its journal and the event that starts the
 * payout leg, through {@link IdempotencyService}), then, after the commit, the recent entries of
 * the account forgotten so the payer reads its own debit at once.
 */
@Service
public class WithdrawalService {

  private final WithdrawalStore withdrawals;
  private final IdempotencyService idempotency;
  private final MoneyPolicy policy;
  private final SecretSealer sealer;
  private final RecentEntriesCache recentEntries;
  private final JsonMapper json;

  public WithdrawalService(
      WithdrawalStore withdrawals,
      IdempotencyService idempotency,
      MoneyPolicy policy,
      SecretSealer sealer,
      RecentEntriesCache recentEntries,
      JsonMapper json) {
    this.withdrawals = withdrawals;
    this.idempotency = idempotency;
    this.policy = policy;
    this.sealer = sealer;
    this.recentEntries = recentEntries;
    this.json = json;
  }

  /**
   * 202 with the PENDING withdrawal, the stored answer of an earlier request with the same key, or
   * the refusal.
   *
   * @param request the canonical request the key's fingerprint is taken of
   */
  public Mono<ResponseEntity<byte[]>> withdraw(
      CurrentUser user,
      String key,
      String request,
      UUID accountId,
      Money amount,
      Iban destination,
      Metadata metadata) {
    return idempotency
        .execute(
            user,
            key,
            request,
            () -> {
              UUID id = Ids.newId();
              AcceptWithdrawal accept =
                  new AcceptWithdrawal(
                      id,
                      user.id(),
                      user.isOps(),
                      accountId,
                      amount,
                      destination,
                      sealer.seal(Purpose.PAYOUT_DESTINATION, id, destination.value()),
                      metadata,
                      policy.limits());
              return withdrawals
                  .accept(accept)
                  .map(
                      withdrawal ->
                          new StoredResponse(
                              202,
                              json.writeValueAsString(WithdrawalDocument.of(withdrawal)),
                              "/api/v1/withdrawals/" + withdrawal.id()));
            })
        .flatMap(response -> recentEntries.afterWrite(accountId, response));
  }
}
