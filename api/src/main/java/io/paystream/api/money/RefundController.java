package io.paystream.api.money;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.paystream.api.account.PayeeAccess;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.live.PreferWait;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.FieldChecks;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferRequest;
import io.paystream.domain.TransferStatus;
import io.paystream.persistence.idempotency.StoredResponse;
import io.paystream.persistence.transfer.TransferDocument;
import io.paystream.persistence.transfer.TransferStore;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
 * Refunds of completed transfers: money back from the payee to the payer, in full or in parts,
 * never more than the transfer paid in total. A refund is a transfer ({@link Transfer#refundOf()}),
 * so it is debited from the payee now and credited to the payer through the outbox and Kafka like
 * any other; a payer's account that cannot take it (frozen, closed) makes it FAILED with a reason,
 * its debit returned, and its amount refundable again.
 *
 * <p>Who may: the payee's owner, or OPS with a reason. The payer sees the transfer but may not
 * refund it (403); anyone else gets the transfer's 404.
 */
@RestController
public class RefundController {

  /** Longest reason accepted, as for a transfer's description (it becomes the refund's). */
  static final int REASON_LENGTH_MAX = MoneyRequests.TEXT_LENGTH_MAX;

  private final TransferStore transfers;
  private final PayeeAccess payees;
  private final IdempotencyService idempotency;
  private final MoneyPolicy policy;
  private final JsonMapper json;
  private final PreferWait preferWait;

  RefundController(
      TransferStore transfers,
      PayeeAccess payees,
      IdempotencyService idempotency,
      MoneyPolicy policy,
      JsonMapper json,
      PreferWait preferWait) {
    this.transfers = transfers;
    this.payees = payees;
    this.idempotency = idempotency;
    this.policy = policy;
    this.json = json;
    this.preferWait = preferWait;
  }

  /**
   * The body: {@code amount} absent refunds all that is left; {@code reason} is required of OPS.
   */
  public record RefundRequest(
      Long amount,
      String reason,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> metadata) {

    RefundRequest canonical() {
      return new RefundRequest(amount, reason, MoneyRequests.canonical(metadata));
    }
  }

  /**
   * A transfer's refunds.
   *
   * @param refundedAmount what its refunds that did not fail returned (PENDING ones included)
   * @param refundableAmount what can still be refunded; 0 for a transfer that is not COMPLETED
   */
  public record Refunds(
      UUID transferId,
      long amount,
      String currency,
      long refundedAmount,
      long refundableAmount,
      List<TransferDocument> items) {}

  @ApiResponse(
      responseCode = "202",
      description = "The refund, a PENDING transfer from the payee back to the payer",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = TransferDocument.class)))
  @PostMapping("/api/v1/transfers/{id}/refunds")
  public Mono<ResponseEntity<byte[]>> refund(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestHeader(name = PreferWait.PREFER, required = false) String prefer,
      @RequestBody RefundRequest request) {
    IdempotencyService.requireKey(key);
    CurrentUser user = CurrentUser.of(jwt);
    FieldChecks checks = new FieldChecks();
    String reason =
        user.isOps()
            ? checks.requiredText("reason", request.reason(), REASON_LENGTH_MAX)
            : checks.text("reason", request.reason(), REASON_LENGTH_MAX);
    Metadata metadata = checks.metadata("metadata", request.metadata());
    checks.throwIfInvalid();
    if (request.amount() != null) {
      Money.refusesAmount(request.amount())
          .ifPresent(
              refusal -> {
                throw refusal.exception();
              });
    }
    String canonical =
        "POST /api/v1/transfers/" + id + "/refunds " + json.writeValueAsString(request.canonical());
    return payees
        .require(
            user,
            transfers.find(id).map(Transfer::toAccountId),
            transfers.isParty(id, user.id()),
            RefundController::transferNotFound,
            "only the payee or an operator can refund a transfer")
        .then(
            idempotency.execute(
                user,
                key,
                canonical,
                () ->
                    transfers
                        .lockForRefund(id)
                        .switchIfEmpty(Mono.error(RefundController::transferNotFound))
                        .flatMap(
                            refundable ->
                                transfers.accept(
                                    refundRequest(user, refundable, request, reason, metadata)))
                        .map(
                            refund ->
                                new StoredResponse(
                                    202,
                                    json.writeValueAsString(TransferDocument.of(refund)),
                                    "/api/v1/transfers/" + refund.id()))))
        // After the commit: the wait holds neither a connection nor the idempotency lock.
        .flatMap(response -> preferWait.apply(prefer, response));
  }

  @GetMapping("/api/v1/transfers/{id}/refunds")
  public Mono<Refunds> refunds(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    CurrentUser user = CurrentUser.of(jwt);
    return transfers
        .find(id)
        .filterWhen(transfer -> user.isOps() ? Mono.just(true) : transfers.isParty(id, user.id()))
        .switchIfEmpty(Mono.error(RefundController::transferNotFound))
        .flatMap(
            transfer ->
                transfers
                    .refundsOf(id)
                    .map(TransferDocument::of)
                    .collectList()
                    .map(items -> refunds(transfer, items)));
  }

  private static Refunds refunds(Transfer transfer, List<TransferDocument> items) {
    long refunded =
        items.stream()
            .filter(item -> !"FAILED".equals(item.status()))
            .mapToLong(TransferDocument::amount)
            .sum();
    boolean refundable = transfer.status() == TransferStatus.COMPLETED && !transfer.isRefund();
    return new Refunds(
        transfer.id(),
        transfer.amount().minorUnits(),
        transfer.amount().currencyCode(),
        refunded,
        refundable ? transfer.amount().minorUnits() - refunded : 0,
        items);
  }

  /**
   * The refund to accept, decided on the locked transfer: refused unless the transfer is COMPLETED,
   * not itself a refund, and the amount (all that is left when absent) fits in what is left.
   */
  private TransferRequest refundRequest(
      CurrentUser user,
      TransferStore.Refundable refundable,
      RefundRequest request,
      String reason,
      Metadata metadata) {
    Transfer transfer = refundable.transfer();
    if (transfer.status() != TransferStatus.COMPLETED || transfer.isRefund()) {
      throw new RejectedException(
          Rejection.TRANSFER_NOT_REFUNDABLE,
          "transfer "
              + transfer.id()
              + " is "
              + (transfer.isRefund() ? "a refund" : transfer.status().name()));
    }
    long amount = request.amount() == null ? refundable.remaining() : request.amount();
    if (amount > refundable.remaining() || amount < 1) {
      throw new RejectedException(
          Rejection.REFUND_EXCEEDS_TRANSFER,
          refundable.remaining()
              + " of "
              + transfer.amount().minorUnits()
              + " can still be refunded");
    }
    return new TransferRequest(
        user.id(),
        user.isOps(),
        transfer.toAccountId(),
        transfer.fromAccountId(),
        Money.of(amount, transfer.amount().currency()),
        reason,
        metadata,
        transfer.id(),
        policy.limits());
  }

  private static RejectedException transferNotFound() {
    return new RejectedException(Rejection.TRANSFER_NOT_FOUND, "transfer not found");
  }
}
