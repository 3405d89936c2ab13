package io.paystream.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.idempotency.IdempotencyService.Call;
import io.paystream.api.idempotency.IdempotencyService.Done;
import io.paystream.api.idempotency.IdempotencyService.Result;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.persistence.idempotency.StoredResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * {@link IdempotencyService#executeAll}: many requests in one transaction, each answered as {@link
 * IdempotencyService#execute} would have answered it alone. The operation here only echoes its
 * inputs, so that what is checked is the keys' bookkeeping, not a money movement.
 */
class BatchIdempotencyIntegrationTest extends ApiIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired IdempotencyService idempotency;

  private CurrentUser user;

  /** Every input the operation was given, across batches. */
  private final List<String> ran = new CopyOnWriteArrayList<>();

  /** Accepts every input except "broke", which it refuses with insufficient funds. */
  private final Function<List<String>, Mono<List<Done>>> echo =
      inputs -> {
        ran.addAll(inputs);
        return Mono.just(
            inputs.stream()
                .map(
                    input ->
                        input.equals("broke")
                            ? new Done(
                                null,
                                new RejectedException(Rejection.INSUFFICIENT_FUNDS, "no money"))
                            : new Done(
                                new StoredResponse(
                                    202, "{\"id\":\"" + input + "\"}", "/x/" + input),
                                null))
                .toList());
      };

  @BeforeEach
  void aUser() {
    user = new CurrentUser(client.newCustomer().id(), List.of(CurrentUser.CUSTOMER));
  }

  @Test
  void newKeysRunOnceAndAKeyGivenTwiceInOneBatchIsInUseForItsSecondRequest() {
    List<Result> results = run(List.of(call("k1", "a"), call("k2", "b"), call("k1", "a")));

    assertThat(ran).containsExactly("a", "b");
    assertAnswered(results.get(0), 202, "{\"id\":\"a\"}", false);
    assertThat(results.get(0).response().getHeaders().getLocation()).hasToString("/x/a");
    assertAnswered(results.get(1), 202, "{\"id\":\"b\"}", false);
    assertRefused(results.get(2), ApiError.IDEMPOTENCY_KEY_IN_USE);
  }

  @Test
  void aKnownKeyIsReplayedWithTheSameBodyAndRefusedWithAnother() {
    run(List.of(call("k1", "a"), call("k2", "b")));
    ran.clear();

    List<Result> results = run(List.of(call("k1", "a"), call("k2", "changed"), call("k3", "c")));

    assertThat(ran).containsExactly("c");
    assertAnswered(results.get(0), 202, "{\"id\":\"a\"}", true);
    assertRefused(results.get(1), ApiError.IDEMPOTENCY_KEY_REUSED);
    assertAnswered(results.get(2), 202, "{\"id\":\"c\"}", false);
  }

  @Test
  void aBusinessRefusalIsStoredAndReplayedLikeAnyAnswer() {
    Result first = run(List.of(call("k1", "broke"))).get(0);
    assertThat(first.response().getStatusCode().value()).isEqualTo(422);
    assertThat(body(first)).contains("\"code\":\"insufficient_funds\"");
    ran.clear();

    Result again = run(List.of(call("k1", "broke"))).get(0);

    assertThat(ran).isEmpty();
    assertAnswered(again, 422, body(first), true);
  }

  @Test
  void aFailedBatchStoresNothingSoEveryKeyMayBeRetried() {
    idempotency
        .executeAll(
            List.of(call("k1", "a"), call("k2", "b")),
            inputs -> Mono.<List<Done>>error(new IllegalStateException("connection lost")))
        .as(StepVerifier::create)
        .expectErrorMessage("connection lost")
        .verify(PATIENCE);

    List<Result> retried = run(List.of(call("k1", "a"), call("k2", "b")));

    assertThat(ran).containsExactly("a", "b");
    assertAnswered(retried.get(0), 202, "{\"id\":\"a\"}", false);
    assertAnswered(retried.get(1), 202, "{\"id\":\"b\"}", false);
  }

  @Test
  void aKeyHeldByARequestStillRunningElsewhereIsInUse() {
    Sinks.One<StoredResponse> release = Sinks.one();
    Sinks.One<Boolean> holding = Sinks.one();
    var alone =
        idempotency
            .execute(
                user,
                "k1",
                "request a",
                () -> {
                  holding.tryEmitValue(true);
                  return release.asMono();
                })
            .toFuture();
    holding.asMono().block(PATIENCE);

    List<Result> results = run(List.of(call("k1", "a"), call("k2", "b")));

    assertRefused(results.get(0), ApiError.IDEMPOTENCY_KEY_IN_USE);
    assertAnswered(results.get(1), 202, "{\"id\":\"b\"}", false);
    assertThat(ran).containsExactly("b");
    release.tryEmitValue(new StoredResponse(202, "{}", null));
    assertThat(alone.join().getStatusCode().value()).isEqualTo(202);
  }

  @Test
  void anOperationAnsweringTheWrongNumberOfOutcomesFailsTheBatch() {
    idempotency
        .executeAll(
            List.of(call("k1", "a"), call("k2", "b")),
            inputs -> Mono.just(List.of(new Done(new StoredResponse(202, "{}", null), null))))
        .as(StepVerifier::create)
        .expectErrorMessage("1 outcomes for 2 requests")
        .verify(PATIENCE);
    assertThat(
            run(List.of(call("k1", "a")))
                .get(0)
                .response()
                .getHeaders()
                .getFirst(IdempotencyService.REPLAYED_HEADER))
        .isNull();
  }

  private Call<String> call(String key, String input) {
    return new Call<>(user, key, "request " + input, null, input);
  }

  private List<Result> run(List<Call<String>> calls) {
    List<Result> results = idempotency.executeAll(calls, echo).block(PATIENCE);
    assertThat(results).hasSize(calls.size());
    return results;
  }

  private static void assertAnswered(Result result, int status, String body, boolean replayed) {
    assertThat(result.error()).isNull();
    assertThat(result.response().getStatusCode().value()).isEqualTo(status);
    assertThat(body(result)).isEqualTo(body);
    assertThat(result.response().getHeaders().getFirst(IdempotencyService.REPLAYED_HEADER))
        .isEqualTo(replayed ? "true" : null);
  }

  private static void assertRefused(Result result, ApiError error) {
    assertThat(result.response()).isNull();
    assertThat(result.error())
        .isInstanceOfSatisfying(
            ApiException.class, refused -> assertThat(refused.error()).isEqualTo(error));
  }

  private static String body(Result result) {
    return new String(result.response().getBody(), StandardCharsets.UTF_8);
  }
}
