package io.paystream.api.money;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.recent.RecentEntriesCache;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.FieldChecks;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferRequest;
import io.paystream.domain.TransferStatus;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.idempotency.StoredResponse;
import io.paystream.persistence.transfer.TransferBatchStore;
import io.paystream.persistence.transfer.TransferBatchStore.Batch;
import io.paystream.persistence.transfer.TransferDocument;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Atomic batches: up to {@link #LEGS_MAX} transfers from one payer account in one request, accepted
 * all together or not at all (the first refused transfer refuses the batch, naming its index in the
 * problem's {@code leg}, and nothing moves). Each accepted transfer is an ordinary one afterwards:
 * its own id, status, events and credit; the batch's status is derived from theirs.
 */
@RestController
public class TransferBatchController {

  /** Transfers one batch holds at most: a payroll run or a marketplace payout, not a ledger. */
  public static final int LEGS_MAX = 100;

  private final TransferBatchStore batches;
  private final AccountStore accounts;
  private final IdempotencyService idempotency;
  private final MoneyPolicy policy;
  private final RecentEntriesCache recentEntries;
  private final JsonMapper json;

  TransferBatchController(
      TransferBatchStore batches,
      AccountStore accounts,
      IdempotencyService idempotency,
      MoneyPolicy policy,
      RecentEntriesCache recentEntries,
      JsonMapper json) {
    this.batches = batches;
    this.accounts = accounts;
    this.idempotency = idempotency;
    this.policy = policy;
    this.recentEntries = recentEntries;
    this.json = json;
  }

  /** One transfer of a batch, as the request names it. */
  public record Leg(
      UUID toAccountId,
      Long amount,
      String description,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> metadata) {

    Leg canonical() {
      return new Leg(toAccountId, amount, description, MoneyRequests.canonical(metadata));
    }
  }

  /** The request body: one payer account, one currency, the transfers in order. */
  public record TransferBatchRequest(UUID fromAccountId, String currency, List<Leg> transfers) {

    TransferBatchRequest canonical() {
      return new TransferBatchRequest(
          fromAccountId,
          currency,
          transfers == null ? null : transfers.stream().map(Leg::canonical).toList());
    }
  }

  /**
   * A batch as clients see it.
   *
   * @param status {@code PENDING} while any transfer is; then {@code COMPLETED} when all completed,
   *     {@code FAILED} when all failed, {@code PARTIALLY_FAILED} otherwise
   * @param transfers its transfers in the order requested
   */
  public record BatchDocument(
      UUID id,
      UUID fromAccountId,
      String currency,
      String status,
      Instant createdAt,
      List<TransferDocument> transfers) {

    static BatchDocument of(Batch batch) {
      return new BatchDocument(
          batch.row().id(),
          batch.row().fromAccountId(),
          batch.row().currency(),
          status(batch.legs()),
          batch.row().createdAt(),
          batch.legs().stream().map(TransferDocument::of).toList());
    }

    static String status(List<Transfer> legs) {
      if (legs.stream().anyMatch(leg -> leg.status() == TransferStatus.PENDING)) {
        return "PENDING";
      }
      long failed = legs.stream().filter(leg -> leg.status() == TransferStatus.FAILED).count();
      return failed == 0 ? "COMPLETED" : failed == legs.size() ? "FAILED" : "PARTIALLY_FAILED";
    }
  }

  @ApiResponse(
      responseCode = "202",
      description = "Accepted, every transfer PENDING: all debits committed together",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = BatchDocument.class)))
  @PostMapping("/api/v1/transfer-batches")
  public Mono<ResponseEntity<byte[]>> create(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestBody TransferBatchRequest request) {
    IdempotencyService.requireKey(key);
    CurrentUser user = CurrentUser.of(jwt);
    List<TransferRequest> legs = legs(user, request);
    String canonical =
        "POST /api/v1/transfer-batches " + json.writeValueAsString(request.canonical());
    return idempotency
        .execute(
            user,
            key,
            canonical,
            () ->
                batches
                    .accept(user.id(), legs)
                    .map(
                        batch ->
                            new StoredResponse(
                                202,
                                json.writeValueAsString(BatchDocument.of(batch)),
                                "/api/v1/transfer-batches/" + batch.row().id())))
        // After the commit: the payer reads its own debits in the recent entries at once.
        .flatMap(response -> recentEntries.afterWrite(request.fromAccountId(), response));
  }

  @GetMapping("/api/v1/transfer-batches/{id}")
  public Mono<BatchDocument> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    CurrentUser user = CurrentUser.of(jwt);
    return batches
        .find(id)
        .filterWhen(
            batch ->
                user.isOps()
                    ? Mono.just(true)
                    : accounts
                        .find(batch.row().fromAccountId())
                        .map(payer -> payer.isOwnedBy(user.id()))
                        .defaultIfEmpty(false))
        .map(BatchDocument::of)
        .switchIfEmpty(
            Mono.error(
                () ->
                    new RejectedException(
                        Rejection.TRANSFER_BATCH_NOT_FOUND, "transfer batch not found")));
  }

  /**
   * The batch's transfers, or 400 naming every invalid field ({@code transfers[2].amount}); an
   * amount out of range is the contract's 422, naming its transfer in {@code leg}.
   */
  private List<TransferRequest> legs(CurrentUser user, TransferBatchRequest request) {
    FieldChecks checks = new FieldChecks();
    checks.id("fromAccountId", request.fromAccountId());
    Currency currency = checks.currency("currency", request.currency());
    List<Leg> requested = request.transfers();
    if (requested == null || requested.isEmpty() || requested.size() > LEGS_MAX) {
      checks.fail("transfers", "must hold 1 to " + LEGS_MAX + " transfers");
      checks.throwIfInvalid();
    }
    List<Metadata> metadata = new ArrayList<>(requested.size());
    for (int i = 0; i < requested.size(); i++) {
      String at = "transfers[" + i + "].";
      Leg leg = requested.get(i);
      if (leg == null) {
        checks.fail("transfers[" + i + "]", "is required");
        metadata.add(Metadata.NONE);
        continue;
      }
      checks.id(at + "toAccountId", leg.toAccountId());
      checks.amount(at + "amount", leg.amount());
      checks.text(at + "description", leg.description(), MoneyRequests.TEXT_LENGTH_MAX);
      metadata.add(checks.metadata(at + "metadata", leg.metadata()));
    }
    checks.throwIfInvalid();
    List<TransferRequest> legs = new ArrayList<>(requested.size());
    for (int i = 0; i < requested.size(); i++) {
      Leg leg = requested.get(i);
      int index = i;
      Money.refusesAmount(leg.amount())
          .ifPresent(
              refusal -> {
                throw refusal.atLeg(index).exception();
              });
      legs.add(
          new TransferRequest(
              user.id(),
              user.isOps(),
              request.fromAccountId(),
              leg.toAccountId(),
              Money.of(leg.amount(), currency),
              leg.description(),
              metadata.get(i),
              null,
              policy.limits()));
    }
    return legs;
  }
}
