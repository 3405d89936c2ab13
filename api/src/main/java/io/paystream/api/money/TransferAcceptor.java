package io.paystream.api.money;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.audit.AuditContext;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.api.idempotency.IdempotencyService.Call;
import io.paystream.api.idempotency.IdempotencyService.Done;
import io.paystream.api.idempotency.IdempotencyService.Result;
import io.paystream.api.recent.RecentEntriesCache;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.ProblemExceptionHandler;
import io.paystream.domain.Transfer;
import io.paystream.domain.TransferBatch.Accepted;
import io.paystream.domain.TransferBatch.Refused;
import io.paystream.domain.TransferRequest;
import io.paystream.messaging.tracing.SagaTracing;
import io.paystream.persistence.idempotency.StoredResponse;
import io.paystream.persistence.outbox.TraceParents;
import io.paystream.persistence.transfer.TransferAccepts;
import io.paystream.persistence.transfer.TransferDocument;
import io.paystream.persistence.transfer.TransferStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts transfers, concurrent ones together: the requests that arrive while the accept
 * transactions in flight are busy are coalesced into one transaction ({@link GroupCommit}), which
 * takes their idempotency keys, decides and debits each ({@link TransferAccepts}), and stores each
 * answer and audit event, in a fixed number of statements and one commit for the batch. Every
 * request is still answered as if it had been accepted alone.
 *
 * <p>Transfers are dealt to lanes by payer account, and each lane runs one accept transaction at a
 * time: two batches in flight never share a payer, so they never wait for each other's row locks.
 * Without lanes, concurrent batches of random payers overlapped almost always and ran one after the
 * other, each waiting for the previous commit (pgbench: 4 clients, batches of 8 among 64 payers
 * spent 17 of 29 ms per batch waiting for the payers' locks). A hot payer's transfers all meet in
 * one lane, where they would have queued for its row lock anyway.
 *
 * <p>If a batch's transaction fails as a whole (a deadlock, a lost connection, an invariant check),
 * nothing of it committed, and each of its requests is run again on its own through {@link
 * IdempotencyService#execute}: one request cannot take the others down with it, and an ambiguous
 * commit is safe to retry because the key's record, if it committed, is replayed. A batch refused
 * for overload (no connection in time) is answered 503 instead: re-running its requests one by one
 * would add load exactly when there is too much.
 */
@Component
class TransferAcceptor {

  private static final Logger log = LoggerFactory.getLogger(TransferAcceptor.class);

  private final IdempotencyService idempotency;
  private final RecentEntriesCache recentEntries;
  private final TransferAccepts accepts;
  private final TransferStore transfers;
  private final JsonMapper json;
  private final GroupCommitProperties properties;
  private final List<GroupCommit<Call<Traced>, Result>> lanes;
  private final Counter batchFailures;

  TransferAcceptor(
      IdempotencyService idempotency,
      RecentEntriesCache recentEntries,
      TransferAccepts accepts,
      TransferStore transfers,
      JsonMapper json,
      GroupCommitProperties properties,
      MeterRegistry meters) {
    this.idempotency = idempotency;
    this.recentEntries = recentEntries;
    this.accepts = accepts;
    this.transfers = transfers;
    this.json = json;
    this.properties = properties;
    DistributionSummary batchSizes =
        DistributionSummary.builder("paystream.transfer.accept.batch.size")
            .description("transfers accepted in one transaction (group commit)")
            .baseUnit("transfers")
            .register(meters);
    // Each lane runs one transaction at a time; the queue bound is shared out between them.
    int laneQueueMax = Math.max(1, properties.queueMax() / properties.lanes());
    List<GroupCommit<Call<Traced>, Result>> built = new ArrayList<>();
    for (int lane = 0; lane < properties.lanes(); lane++) {
      built.add(
          new GroupCommit<>(
              properties.batchMax(),
              1,
              laneQueueMax,
              properties.linger(),
              Schedulers.parallel(),
              this::acceptTogether,
              batchSizes));
    }
    this.lanes = List.copyOf(built);
    this.batchFailures =
        Counter.builder("paystream.transfer.accept.batch.failures")
            .description("accept batches whose transaction failed; their transfers ran one by one")
            .register(meters);
    Gauge.builder(
            "paystream.transfer.accept.queued",
            lanes,
            all -> all.stream().mapToInt(GroupCommit::queued).sum())
        .description("transfers waiting for a free accept transaction")
        .register(meters);
  }

  /**
   * The answer to one POST: 202 with the PENDING transfer, the stored answer of an earlier request
   * with the same key, or the refusal. {@code request} is the canonical request that the key's
   * fingerprint is taken of.
   */
  Mono<ResponseEntity<byte[]>> accept(
      CurrentUser user, String key, String request, TransferRequest transfer) {
    return committed(user, key, request, transfer)
        // After the commit: the payer reads its own debit in the recent entries at once.
        .flatMap(response -> recentEntries.afterWrite(transfer.fromAccountId(), response));
  }

  private Mono<ResponseEntity<byte[]>> committed(
      CurrentUser user, String key, String request, TransferRequest transfer) {
    if (!properties.enabled()) {
      return alone(user, key, request, transfer);
    }
    GroupCommit<Call<Traced>, Result> lane =
        lanes.get(Math.floorMod(transfer.fromAccountId().hashCode(), lanes.size()));
    return Mono.deferContextual(
            context ->
                lane.submit(
                    new Call<>(
                        user,
                        key,
                        request,
                        context.getOrDefault(AuditContext.class, null),
                        new Traced(transfer, SagaTracing.traceParent(context)))))
        .onErrorMap(
            GroupCommit.Full.class,
            full ->
                new ApiException(
                    ApiError.SERVICE_UNAVAILABLE,
                    "too many transfers are waiting to be accepted; retry"
                        + " shortly with the same Idempotency-Key"))
        .flatMap(
            result ->
                result.error() != null ? Mono.error(result.error()) : Mono.just(result.response()));
  }

  private Mono<ResponseEntity<byte[]>> alone(
      CurrentUser user, String key, String request, TransferRequest transfer) {
    return idempotency.execute(
        user, key, request, () -> transfers.accept(transfer).map(this::answer));
  }

  private Mono<List<Result>> acceptTogether(List<Call<Traced>> calls) {
    return idempotency
        .executeAll(calls, this::acceptAll)
        .onErrorResume(
            failure -> calls.size() > 1 && !ProblemExceptionHandler.isOverloaded(failure),
            failure -> {
              batchFailures.increment();
              log.warn(
                  "an accept batch of {} transfers failed ({}); accepting them one by one",
                  calls.size(),
                  failure.toString());
              return Flux.fromIterable(calls)
                  .flatMapSequential(
                      call ->
                          alone(
                                  call.user(),
                                  call.key(),
                                  call.request(),
                                  call.operation().transfer())
                              .contextWrite(
                                  context ->
                                      TraceParents.all(
                                          call.context() == null
                                              ? context
                                              : context.put(AuditContext.class, call.context()),
                                          call.operation().traceParent()))
                              .map(response -> new Result(response, null))
                              .onErrorResume(
                                  RuntimeException.class,
                                  error -> Mono.just(new Result(null, error))))
                  .collectList();
            });
  }

  private Mono<List<Done>> acceptAll(List<Traced> traced) {
    List<TransferRequest> requests = new ArrayList<>(traced.size());
    IdentityHashMap<Object, String> traceParents = new IdentityHashMap<>();
    for (Traced one : traced) {
      requests.add(one.transfer());
      if (one.traceParent() != null) {
        traceParents.put(one.transfer(), one.traceParent());
      }
    }
    return accepts
        .accept(requests)
        // Each transfer's outbox row continues its own request's trace, not the batch's.
        .contextWrite(context -> TraceParents.ByRequest.put(context, traceParents))
        .map(
            decided ->
                decided.stream()
                    .map(
                        one ->
                            one instanceof Accepted accepted
                                ? new Done(answer(accepted.transfer()), null)
                                : new Done(null, ((Refused) one).refusal().exception()))
                    .toList());
  }

  /**
   * A transfer waiting in a lane, with the trace of the request that asked for it: the batch runs
   * in no request's context, so each request's trace travels with it (SagaTracing).
   */
  record Traced(TransferRequest transfer, String traceParent) {}

  private StoredResponse answer(Transfer transfer) {
    return new StoredResponse(
        202,
        json.writeValueAsString(TransferDocument.of(transfer)),
        "/api/v1/transfers/" + transfer.id());
  }
}
