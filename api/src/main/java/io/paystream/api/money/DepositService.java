package io.paystream.api.money;

import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.recent.RecentEntriesCache;
import io.paystream.api.security.CurrentUser;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.persistence.deposit.DepositStore;
import io.paystream.persistence.idempotency.StoredResponse;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deposit use case: one transaction (the idempotency record, the credit, its journal and event,
 * through {@link IdempotencyService}), then, after the commit, the recent entries of the account
 * forgotten so the depositor reads its own write at once.
 */
@Service
public class DepositService {

  private final DepositStore deposits;
  private final IdempotencyService idempotency;
  private final RecentEntriesCache recentEntries;
  private final JsonMapper json;

  public DepositService(
      DepositStore deposits,
      IdempotencyService idempotency,
      RecentEntriesCache recentEntries,
      JsonMapper json) {
    this.deposits = deposits;
    this.idempotency = idempotency;
    this.recentEntries = recentEntries;
    this.json = json;
  }

  /**
   * 201 with the deposit, the stored answer of an earlier request with the same key, or the
   * refusal.
   *
   * @param request the canonical request the key's fingerprint is taken of
   */
  public Mono<ResponseEntity<byte[]>> deposit(
      CurrentUser user,
      String key,
      String request,
      UUID accountId,
      Money amount,
      String reference,
      Metadata metadata) {
    return idempotency
        .execute(
            user,
            key,
            request,
            () ->
                deposits
                    .deposit(user.id(), user.isOps(), accountId, amount, reference, metadata)
                    .map(
                        deposit -> new StoredResponse(201, json.writeValueAsString(deposit), null)))
        .flatMap(response -> recentEntries.afterWrite(accountId, response));
  }
}
