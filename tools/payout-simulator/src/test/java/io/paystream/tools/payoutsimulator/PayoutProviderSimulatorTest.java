package io.paystream.tools.payoutsimulator;

import static io.paystream.tools.payoutsimulator.ProviderCalls.VERIFY_TIMEOUT;
import static io.paystream.tools.payoutsimulator.ProviderCalls.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import io.paystream.tools.payoutsimulator.ProviderCalls.Answer;
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

/**
 * The provider's wire format over real HTTP, as {@code PayoutProviderClient} in messaging sees it.
 * BlockHound is installed in this JVM: the server's handlers run on Netty's event loops.
 */
class PayoutProviderSimulatorTest {

  private static final Behaviour INSTANT = new Behaviour(0, 0, 0, 0, 30_000);

  private static PayoutProviderSimulator provider;
  private static HttpClient http;
  private static ProviderCalls calls;

  @BeforeAll
  static void start() {
    provider = PayoutProviderSimulator.start("127.0.0.1", 0, INSTANT);
    http = HttpClient.create().baseUrl(provider.baseUrl());
    calls = new ProviderCalls(http);
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

    Answer first = calls.post("/payouts", order(id, "DE89370400440532013000"));
    Answer again = calls.post("/payouts", order(id, "DE89370400440532013000"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.body().path("id").asString()).isEqualTo(id.toString());
    assertThat(first.body().path("status").asString()).isEqualTo("PAID");
    assertThat(first.body().path("reference").asString()).startsWith("psim_").hasSize(37);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(provider.posts(id)).isEqualTo(2);
    assertThat(calls.get("/payouts/" + id)).isEqualTo(new Answer(200, first.body()));
  }

  @Test
  void aRefusedDestinationIsRejectedForGood() {
    UUID id = UUID.randomUUID();
    provider.refuse("GB33BUKB20201555555555");

    Answer first = calls.post("/payouts", order(id, "GB33BUKB20201555555555"));
    Answer again = calls.post("/payouts", order(id, "GB33BUKB20201555555555"));

    assertThat(first.status()).isEqualTo(422);
    assertThat(first.body().path("status").asString()).isEqualTo("REJECTED");
    assertThat(first.body().path("reason").asString()).isNotBlank();
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aFailureAnswers503AndPaysNothing() {
    UUID id = UUID.randomUUID();
    provider.failNext(1);

    Answer failed = calls.post("/payouts", order(id, "DE89370400440532013000"));

    assertThat(failed.status()).isEqualTo(503);
    assertThat(provider.payout(id)).isNull();
    assertThat(calls.get("/payouts/" + id).status()).isEqualTo(404);
    assertThat(calls.post("/payouts", order(id, "DE89370400440532013000")).status()).isEqualTo(201);
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
        calls.post(
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
    assertThat(calls.get("/payouts/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(calls.get("/payouts/not-a-uuid").status()).isEqualTo(404);
  }

  @Test
  void behaviourChangesAtRunTimeAndKeepsWhatTheRequestLeavesOut() {
    provider.behaviour(new Behaviour(0, 0, 0, 0, 1234));

    Answer changed = calls.put("/admin/behaviour", "{\"rejectRate\":1}");
    Answer payout = calls.post("/payouts", order(UUID.randomUUID(), "DE89370400440532013000"));

    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().path("rejectRate").asDouble()).isEqualTo(1.0);
    assertThat(changed.body().path("hangMillis").asLong()).isEqualTo(1234);
    assertThat(payout.status()).isEqualTo(422);
  }

  @Test
  void anImpossibleBehaviourIsA400AndChangesNothing() {
    Answer refused = calls.put("/admin/behaviour", "{\"failureRate\":2}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(calls.post("/payouts", order(UUID.randomUUID(), "DE89370400440532013000")).status())
        .isEqualTo(201);
  }
}
