package io.paystream.api.idempotency;

import io.paystream.api.audit.AuditContext;
import io.paystream.api.audit.MoneyAudit;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.ProblemWriter;
import io.paystream.api.web.RunToCompletion;
import io.paystream.domain.RejectedException;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.audit.AuditRecord;
import io.paystream.persistence.idempotency.IdempotencyStore;
import io.paystream.persistence.idempotency.StoredResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Runs a money-moving operation at most once per (user, Idempotency-Key), in the same database
 * transaction as the operation itself:
 *
 * <ol>
 *   <li>take the key's advisory lock, or answer 409 {@code idempotency_key_in_use};
 *   <li>an earlier record with the same body fingerprint: replay it with {@code
 *       Idempotent-Replayed: true}; with another fingerprint: 422 {@code idempotency_key_reused};
 *   <li>otherwise run the operation and store its answer — success or business rejection — before
 *       the commit.
 * </ol>
 */
@Service
public class IdempotencyService {

  public static final String KEY_HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  /** The contract: 1..255 printable ASCII characters. */
  static final int KEY_LENGTH_MAX = 255;

  private final IdempotencyStore store;
  private final TransactionalOperator transaction;
  private final ProblemWriter problems;
  private final Clock clock;
  private final MoneyAudit audit;

  public IdempotencyService(
      IdempotencyStore store,
      TransactionalOperator transaction,
      ProblemWriter problems,
      Clock clock,
      MoneyAudit audit) {
    this.store = store;
    this.transaction = transaction;
    this.problems = problems;
    this.clock = clock;
    this.audit = audit;
  }

  /** Refuses a missing or malformed key before anything else is looked at. */
  public static String requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new ApiException(
          ApiError.IDEMPOTENCY_KEY_MISSING,
          "send an Idempotency-Key header with a unique value per operation");
    }
    if (key.length() > KEY_LENGTH_MAX || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw ApiException.invalid(KEY_HEADER, "must be 1 to 255 printable ASCII characters");
    }
    return key;
  }

  /**
   * @param request the canonical form of the request (method, path and re-serialised body): two
   *     requests are "the same" exactly when these strings are equal
   * @param operation runs inside the transaction; a {@link RejectedException} it emits must have
   *     written nothing, and becomes the stored 4xx answer; both outcomes are audited in the same
   *     transaction
   */
  public Mono<ResponseEntity<byte[]>> execute(
      CurrentUser user, String key, String request, Supplier<Mono<StoredResponse>> operation) {
    String fingerprint = sha256(request);
    Mono<Answer> flow =
        store
            .tryLock(user.id(), key)
            .flatMap(
                locked -> {
                  if (!locked) {
                    return Mono.error(keyInUse());
                  }
                  return store
                      .find(user.id(), key)
                      .map(
                          recorded -> {
                            if (!recorded.fingerprint().equals(fingerprint)) {
                              throw keyReused();
                            }
                            return new Answer(recorded.response(), true);
                          })
                      .switchIfEmpty(
                          Mono.defer(
                              () ->
                                  operation
                                      .get()
                                      .flatMap(
                                          response ->
                                              audit
                                                  .accepted(
                                                      user.id(),
                                                      request,
                                                      response.status(),
                                                      response.body())
                                                  .thenReturn(response))
                                      .onErrorResume(
                                          RejectedException.class,
                                          rejected -> {
                                            StoredResponse refusal = rejection(rejected);
                                            return audit
                                                .rejected(
                                                    user.id(), request, refusal.status(), rejected)
                                                .thenReturn(refusal);
                                          })
                                      .flatMap(
                                          response ->
                                              store
                                                  .save(
                                                      user.id(),
                                                      key,
                                                      fingerprint,
                                                      response,
                                                      Timestamps.now(clock))
                                                  .thenReturn(new Answer(response, false)))));
                });
    return RunToCompletion.of(transaction.transactional(flow)).map(IdempotencyService::toResponse);
  }

  /**
   * One request of {@link #executeAll}: who, with which key, the canonical request (as for {@link
   * #execute}), the audit context it was served with, and the operation's own input.
   */
  public record Call<T>(
      CurrentUser user, String key, String request, AuditContext context, T operation) {}

  /** What a batch operation did with one request: its stored answer, or a business refusal. */
  public record Done(StoredResponse response, RejectedException rejected) {}

  /**
   * What {@link #executeAll} answers one request: the response {@link #execute} would have given,
   * or the error it would have failed with (409 key in use, 422 key reused).
   */
  public record Result(ResponseEntity<byte[]> response, RuntimeException error) {}

  /**
   * {@link #execute} for many requests in ONE transaction (group commit): the same steps, each in
   * one statement for the whole batch — the keys' advisory locks, the earlier records, the
   * operation for the requests that are new, their audit events and their records. Each request is
   * decided on its own and answered as {@link #execute} would have answered it alone: a replay
   * replays, a reused key is refused, a key given twice in the batch is "in use" for the later one
   * (as it would be for a concurrent request), and only the new requests reach {@code operation},
   * which must return one {@link Done} per input, in order, having written nothing for a refusal.
   *
   * <p>Fails as a whole only when the database does (or the operation fails): then nothing of the
   * batch is written, and each request may be retried on its own.
   */
  public <T> Mono<List<Result>> executeAll(
      List<Call<T>> calls, Function<List<T>, Mono<List<Done>>> operation) {
    int n = calls.size();
    List<IdempotencyStore.Key> keys = new ArrayList<>(n);
    Map<IdempotencyStore.Key, Integer> firstCall = new HashMap<>();
    boolean[] duplicate = new boolean[n];
    for (int i = 0; i < n; i++) {
      IdempotencyStore.Key key =
          new IdempotencyStore.Key(calls.get(i).user().id(), calls.get(i).key());
      if (firstCall.putIfAbsent(key, i) == null) {
        keys.add(key);
      } else {
        duplicate[i] = true;
      }
    }
    Mono<List<Result>> flow =
        store
            .tryLockAll(keys)
            .flatMap(
                locked -> {
                  Map<IdempotencyStore.Key, Boolean> lockOf = new HashMap<>();
                  List<IdempotencyStore.Key> held = new ArrayList<>();
                  for (int k = 0; k < keys.size(); k++) {
                    lockOf.put(keys.get(k), locked.get(k));
                    if (locked.get(k)) {
                      held.add(keys.get(k));
                    }
                  }
                  return store
                      .findAll(held)
                      .map(recorded -> decide(calls, lockOf, duplicate, recorded));
                })
            .flatMap(
                batch -> {
                  List<T> inputs = batch.fresh.stream().map(i -> calls.get(i).operation()).toList();
                  return (inputs.isEmpty() ? Mono.just(List.<Done>of()) : operation.apply(inputs))
                      .flatMap(done -> store(calls, batch, done));
                });
    return transaction.transactional(flow);
  }

  /** Per request: answered already (replay, 409, 422), or fresh for the operation. */
  private <T> Batch decide(
      List<Call<T>> calls,
      Map<IdempotencyStore.Key, Boolean> lockOf,
      boolean[] duplicate,
      Map<IdempotencyStore.Key, IdempotencyStore.Recorded> recorded) {
    Batch batch = new Batch(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      Call<T> call = calls.get(i);
      IdempotencyStore.Key key = new IdempotencyStore.Key(call.user().id(), call.key());
      String fingerprint = sha256(call.request());
      batch.fingerprints[i] = fingerprint;
      if (duplicate[i] || !lockOf.get(key)) {
        batch.results[i] = new Result(null, keyInUse());
        continue;
      }
      IdempotencyStore.Recorded earlier = recorded.get(key);
      if (earlier == null) {
        batch.fresh.add(i);
      } else if (!earlier.fingerprint().equals(fingerprint)) {
        batch.results[i] = new Result(null, keyReused());
      } else {
        batch.results[i] = new Result(toResponse(new Answer(earlier.response(), true)), null);
      }
    }
    return batch;
  }

  /** The fresh requests' audit events and records, then every request's answer. */
  private <T> Mono<List<Result>> store(List<Call<T>> calls, Batch batch, List<Done> done) {
    if (done.size() != batch.fresh.size()) {
      return Mono.error(
          new IllegalStateException(
              done.size() + " outcomes for " + batch.fresh.size() + " requests"));
    }
    List<AuditRecord> events = new ArrayList<>();
    List<IdempotencyStore.Saved> records = new ArrayList<>();
    for (int f = 0; f < done.size(); f++) {
      int i = batch.fresh.get(f);
      Call<T> call = calls.get(i);
      Done outcome = done.get(f);
      StoredResponse response;
      if (outcome.rejected() == null) {
        response = outcome.response();
        events.add(
            audit.acceptedEvent(
                call.user().id(),
                call.request(),
                response.status(),
                response.body(),
                call.context()));
      } else {
        response = rejection(outcome.rejected());
        events.addAll(
            audit.rejectedEvents(
                call.user().id(),
                call.request(),
                response.status(),
                outcome.rejected(),
                call.context()));
      }
      records.add(
          new IdempotencyStore.Saved(
              new IdempotencyStore.Key(call.user().id(), call.key()),
              batch.fingerprints[i],
              response));
      batch.results[i] = new Result(toResponse(new Answer(response, false)), null);
    }
    return audit
        .recordAll(events)
        .then(store.saveAll(records, Timestamps.now(clock)))
        .then(Mono.fromSupplier(() -> List.of(batch.results)));
  }

  private static final class Batch {
    final Result[] results;
    final String[] fingerprints;
    final List<Integer> fresh = new ArrayList<>();

    Batch(int n) {
      results = new Result[n];
      fingerprints = new String[n];
    }
  }

  private static ApiException keyInUse() {
    return new ApiException(
        ApiError.IDEMPOTENCY_KEY_IN_USE,
        "a request with this Idempotency-Key is still being processed; retry shortly");
  }

  private static ApiException keyReused() {
    return new ApiException(
        ApiError.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used with a different request");
  }

  private StoredResponse rejection(RejectedException rejected) {
    ApiException problem = ApiException.of(rejected);
    return new StoredResponse(problem.error().status().value(), problems.body(problem, null), null);
  }

  private static ResponseEntity<byte[]> toResponse(Answer answer) {
    StoredResponse stored = answer.response();
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(
        stored.status() >= 400 ? ProblemWriter.PROBLEM_JSON : MediaType.APPLICATION_JSON);
    if (stored.location() != null) {
      headers.set(HttpHeaders.LOCATION, stored.location());
    }
    if (answer.replayed()) {
      headers.set(REPLAYED_HEADER, "true");
    }
    return ResponseEntity.status(stored.status())
        .headers(headers)
        .body(stored.body().getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private record Answer(StoredResponse response, boolean replayed) {}
}
