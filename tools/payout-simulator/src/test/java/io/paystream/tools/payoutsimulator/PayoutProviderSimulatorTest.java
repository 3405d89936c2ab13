package io.paystream.tools.payoutsimulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider's wire format over real HTTP, as {@code PayoutProviderClient} in messaging sees it.
 * BlockHound is installed in this JVM: the server's handlers run on Netty's event loops.
 */
class PayoutProviderSimulatorTest {

  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);
  private static final Behaviour INSTANT = new Behaviour(0, 0, 0, 0, 30_000);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static PayoutProviderSimulator provider;
  private static HttpClient http;

  record Answer(int status, JsonNode body) {}

  @BeforeAll
  static void start() {
    provider = PayoutProviderSimulator.start("127.0.0.1", 0, INSTANT);
    http = HttpClient.create().baseUrl(provider.baseUrl());
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  @BeforeEach
  void healthy() {
    provider.behaviour(INSTANT);
    provider.failNext(0);
    provider.hangNext(0);
  }

  @Test
  void aNewPayoutIsPaidOnceAndARepeatReplaysTheSameAnswer() {
    UUID id = UUID.randomUUID();

    Answer first = post("/payouts", order(id, "DE89370400440532013000"));
    Answer again = post("/payouts", order(id, "DE89370400440532013000"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.body().path("id").asString()).isEqualTo(id.toString());
    assertThat(first.body().path("status").asString()).isEqualTo("PAID");
    assertThat(first.body().path("reference").asString()).startsWith("psim_").hasSize(37);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(provider.posts(id)).isEqualTo(2);
    assertThat(get("/payouts/" + id)).isEqualTo(new Answer(200, first.body()));
  }

  @Test
  void aRefusedDestinationIsRejectedForGood() {
    UUID id = UUID.randomUUID();
    provider.refuse("GB33BUKB20201555555555");

    Answer first = post("/payouts", order(id, "GB33BUKB20201555555555"));
    Answer again = post("/payouts", order(id, "GB33BUKB20201555555555"));

    assertThat(first.status()).isEqualTo(422);
    assertThat(first.body().path("status").asString()).isEqualTo("REJECTED");
    assertThat(first.body().path("reason").asString()).isNotBlank();
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aFailureAnswers503AndPaysNothing() {
    UUID id = UUID.randomUUID();
    provider.failNext(1);

    Answer failed = post("/payouts", order(id, "DE89370400440532013000"));

    assertThat(failed.status()).isEqualTo(503);
    assertThat(provider.payout(id)).isNull();
    assertThat(get("/payouts/" + id).status()).isEqualTo(404);
    assertThat(post("/payouts", order(id, "DE89370400440532013000")).status()).isEqualTo(201);
  }

  @Test
  void aTimeoutPaysFirstAndAnswersOnlyAfterTheHang() {
    UUID id = UUID.randomUUID();
    provider.behaviour(new Behaviour(0, 0, 0, 0, 1_500));
    provider.hangNext(1);

    http.post()
        .uri("/payouts")
        .send(ByteBufFlux.fromString(Mono.just(order(id, "DE89370400440532013000"))))
        .responseSingle((response, body) -> body.asString())
        .as(StepVerifier::create)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(1_000))
        .then(() -> assertThat(provider.payout(id).status()).isEqualTo("PAID"))
        .assertNext(body -> assertThat(body).contains("\"PAID\""))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void anIncompleteOrderIsA400AndIsNotCounted() {
    int postsBefore = provider.posts();

    Answer answer =
        post(
            "/payouts",
            "{\"id\":\""
                + UUID.randomUUID()
                + "\",\"amount\":0,\"currency\":\"EUR\","
                + "\"destination\":\"DE89370400440532013000\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(provider.posts()).isEqualTo(postsBefore);
  }

  @Test
  void anUnknownPayoutIsA404() {
    assertThat(get("/payouts/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(get("/payouts/not-a-uuid").status()).isEqualTo(404);
  }

  @Test
  void behaviourChangesAtRunTimeAndKeepsWhatTheRequestLeavesOut() {
    provider.behaviour(new Behaviour(0, 0, 0, 0, 1234));

    Answer changed = put("/admin/behaviour", "{\"rejectRate\":1}");
    Answer payout = post("/payouts", order(UUID.randomUUID(), "DE89370400440532013000"));

    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().path("rejectRate").asDouble()).isEqualTo(1.0);
    assertThat(changed.body().path("hangMillis").asLong()).isEqualTo(1234);
    assertThat(payout.status()).isEqualTo(422);
  }

  @Test
  void anImpossibleBehaviourIsA400AndChangesNothing() {
    Answer refused = put("/admin/behaviour", "{\"failureRate\":2}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(post("/payouts", order(UUID.randomUUID(), "DE89370400440532013000")).status())
        .isEqualTo(201);
  }

  private static String order(UUID id, String destination) {
    return "{\"id\":\""
        + id
        + "\",\"amount\":1000,\"currency\":\"EUR\",\"destination\":\""
        + destination
        + "\"}";
  }

  private static Answer post(String path, String body) {
    return answer(
        http.post().uri(path).send(ByteBufFlux.fromString(Mono.just(body))), "POST " + path);
  }

  private static Answer put(String path, String body) {
    return answer(
        http.put().uri(path).send(ByteBufFlux.fromString(Mono.just(body))), "PUT " + path);
  }

  private static Answer get(String path) {
    return answer(http.get().uri(path), "GET " + path);
  }

  private static Answer answer(HttpClient.ResponseReceiver<?> request, String what) {
    Answer[] answer = new Answer[1];
    request
        .responseSingle(
            (response, body) ->
                body.asString()
                    .defaultIfEmpty("{}")
                    .map(text -> new Answer(response.status().code(), JSON.readTree(text))))
        .as(StepVerifier::create)
        .assertNext(received -> answer[0] = received)
        .as(what)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    return answer[0];
  }
}
