package io.paystream.api.idempotency;

import io.paystream.api.audit.MoneyAudit;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.ProblemWriter;
import io.paystream.api.web.RunToCompletion;
import io.paystream.domain.RejectedException;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.idempotency.IdempotencyStore;
import io.paystream.persistence.idempotency.StoredResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
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
 * <ol>
 *   <li>take the key's advisory lock, or answer 409 {@code idempotency_key_in_use};</li>
 *   <li>an earlier record with the same body fingerprint: replay it with
 *       {@code Idempotent-Replayed: true}; with another fingerprint: 422
 *       {@code idempotency_key_reused};</li>
 *   <li>otherwise run the operation and store its answer — success or business rejection —
 *       before the commit.</li>
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

  public IdempotencyService(IdempotencyStore store, TransactionalOperator transaction,
      ProblemWriter problems, Clock clock, MoneyAudit audit) {
    this.store = store;
    this.transaction = transaction;
    this.problems = problems;
    this.clock = clock;
    this.audit = audit;
  }

  /** Refuses a missing or malformed key before anything else is looked at. */
  public static String requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new ApiException(ApiError.IDEMPOTENCY_KEY_MISSING,
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
   *     written nothing, and becomes the stored 4xx answer; both outcomes are audited in the
   *     same transaction
   */
  public Mono<ResponseEntity<byte[]>> execute(CurrentUser user, String key, String request,
      Supplier<Mono<StoredResponse>> operation) {
    String fingerprint = sha256(request);
    Mono<Answer> flow = store.tryLock(user.id(), key)
        .flatMap(locked -> {
          if (!locked) {
            return Mono.error(new ApiException(ApiError.IDEMPOTENCY_KEY_IN_USE,
                "a request with this Idempotency-Key is still being processed; retry shortly"));
          }
          return store.find(user.id(), key)
              .map(recorded -> {
                if (!recorded.fingerprint().equals(fingerprint)) {
                  throw new ApiException(ApiError.IDEMPOTENCY_KEY_REUSED,
                      "this Idempotency-Key was used with a different request");
                }
                return new Answer(recorded.response(), true);
              })
              .switchIfEmpty(Mono.defer(() -> operation.get()
                  .flatMap(response -> audit.accepted(user.id(), request, response.status(),
                          response.body())
                      .thenReturn(response))
                  .onErrorResume(RejectedException.class, rejected -> {
                    StoredResponse refusal = rejection(rejected);
                    return audit.rejected(user.id(), request, refusal.status(), rejected)
                        .thenReturn(refusal);
                  })
                  .flatMap(response -> store.save(user.id(), key, fingerprint, response,
                          Timestamps.now(clock))
                      .thenReturn(new Answer(response, false)))));
        });
    return RunToCompletion.of(transaction.transactional(flow))
        .map(IdempotencyService::toResponse);
  }

  private StoredResponse rejection(RejectedException rejected) {
    ApiException problem = ApiException.of(rejected);
    return new StoredResponse(problem.error().status().value(), problems.body(problem, null),
        null);
  }

  private static ResponseEntity<byte[]> toResponse(Answer answer) {
    StoredResponse stored = answer.response();
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(stored.status() >= 400 ? ProblemWriter.PROBLEM_JSON
        : MediaType.APPLICATION_JSON);
    if (stored.location() != null) {
      headers.set(HttpHeaders.LOCATION, stored.location());
    }
    if (answer.replayed()) {
      headers.set(REPLAYED_HEADER, "true");
    }
    return ResponseEntity.status(stored.status()).headers(headers)
        .body(stored.body().getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private record Answer(StoredResponse response, boolean replayed) {}
}
