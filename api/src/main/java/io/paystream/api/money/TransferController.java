package io.paystream.api.money;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.live.PreferWait;
import io.paystream.api.money.MoneyRequests.TransferRequest;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.FieldChecks;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.persistence.transfer.TransferDocument;
import io.paystream.persistence.transfer.TransferStore;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Currency;
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
 * Transfers between customer accounts. The POST commits the payer's debit and answers 202 with the
 * PENDING transfer; the credit completes asynchronously through the outbox and Kafka.
 */
@RestController
public class TransferController {

  private final TransferStore transfers;
  private final TransferAcceptor acceptor;
  private final MoneyPolicy policy;
  private final JsonMapper json;
  private final Timer acceptLatency;
  private final PreferWait preferWait;

  TransferController(
      TransferStore transfers,
      TransferAcceptor acceptor,
      MoneyPolicy policy,
      JsonMapper json,
      MeterRegistry meters,
      PreferWait preferWait) {
    this.transfers = transfers;
    this.preferWait = preferWait;
    this.acceptor = acceptor;
    this.policy = policy;
    this.json = json;
    this.acceptLatency =
        Timer.builder("paystream.transfer.accept")
            .description("time to accept a transfer: its batch, idempotency, debit, commit")
            .publishPercentileHistogram()
            .register(meters);
  }

  @ApiResponse(
      responseCode = "200",
      description = "With Prefer: wait=N, the transfer reached a terminal status within N seconds",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = TransferDocument.class)))
  @ApiResponse(
      responseCode = "202",
      description = "Accepted: the debit is committed, the credit completes asynchronously",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = TransferDocument.class)))
  @PostMapping("/api/v1/transfers")
  public Mono<ResponseEntity<byte[]>> create(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = IdempotencyService.KEY_HEADER, required = false) String key,
      @RequestHeader(name = PreferWait.PREFER, required = false) String prefer,
      @RequestBody TransferRequest request) {
    IdempotencyService.requireKey(key);
    FieldChecks checks = new FieldChecks();
    checks.id("fromAccountId", request.fromAccountId());
    checks.id("toAccountId", request.toAccountId());
    Long amount = checks.amount("amount", request.amount());
    Currency currency = checks.currency("currency", request.currency());
    checks.text("description", request.description(), MoneyRequests.TEXT_LENGTH_MAX);
    Metadata metadata = checks.metadata("metadata", request.metadata());
    checks.throwIfInvalid();
    Money money = MoneyRequests.money(amount, currency);
    CurrentUser user = CurrentUser.of(jwt);
    io.paystream.domain.TransferRequest accept =
        new io.paystream.domain.TransferRequest(
            user.id(),
            user.isOps(),
            request.fromAccountId(),
            request.toAccountId(),
            money,
            request.description(),
            metadata,
            null,
            policy.limits());
    Timer.Sample started = Timer.start();
    return acceptor
        .accept(
            user,
            key,
            "POST /api/v1/transfers " + json.writeValueAsString(request.canonical()),
            accept)
        .doOnSuccess(response -> started.stop(acceptLatency))
        // After the commit: the wait holds neither a connection nor the idempotency lock.
        .flatMap(response -> preferWait.apply(prefer, response));
  }

  @GetMapping("/api/v1/transfers/{id}")
  public Mono<TransferDocument> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    CurrentUser user = CurrentUser.of(jwt);
    return transfers
        .find(id)
        .filterWhen(transfer -> user.isOps() ? Mono.just(true) : transfers.isParty(id, user.id()))
        .map(TransferDocument::of)
        .switchIfEmpty(
            Mono.error(
                () -> new RejectedException(Rejection.TRANSFER_NOT_FOUND, "transfer not found")));
  }
}
