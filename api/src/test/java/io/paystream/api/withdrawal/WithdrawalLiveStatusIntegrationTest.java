package io.paystream.api.withdrawal;

import static io.paystream.api.live.LiveStatusIntegrationTest.listen;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/** Withdrawals on the live paths: the account stream and {@code Prefer: wait}. */
class WithdrawalLiveStatusIntegrationTest extends ApiIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void anAccountStreamShowsAWithdrawalAsProcessingThenCompletedAndNeverTheInternalPendingCommand() {
    User dora = client.newCustomer();
    UUID account = client.openAccount(dora, "EUR");
    client.deposit(dora, account, 10_000, "EUR");
    List<ServerSentEvent<String>> seen = new CopyOnWriteArrayList<>();
    Disposable listening =
        listen(port, dora, "/api/v1/accounts/" + account + "/events", null, seen);
    try {
      UUID withdrawal =
          new WithdrawalClient(http, client)
              .accepted(dora, account, 2_500, "EUR", WithdrawalClient.IBAN);
      awaitEvent(seen, "withdrawal.completed");

      assertThat(seen)
          .extracting(ServerSentEvent::event)
          .containsSubsequence("withdrawal.processing", "withdrawal.completed")
          .doesNotContain("withdrawal.pending");
      JsonNode completed =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(
                  seen.stream()
                      .filter(event -> "withdrawal.completed".equals(event.event()))
                      .findFirst()
                      .orElseThrow()
                      .data());
      assertThat(completed.get("id").asString()).isEqualTo(withdrawal.toString());
      assertThat(completed.get("destination").asString()).isEqualTo(WithdrawalClient.MASKED_IBAN);
    } finally {
      listening.dispose();
    }
  }

  @Test
  void preferWaitAnswersWithTheCompletedWithdrawal() {
    User emil = client.newCustomer();
    UUID account = client.openAccount(emil, "EUR");
    client.deposit(emil, account, 10_000, "EUR");

    EntityExchangeResult<byte[]> answer =
        http.post()
            .uri("/api/v1/withdrawals")
            .headers(h -> h.setBearerAuth(emil.token()))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .header("Prefer", "wait=10")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "accountId",
                    account.toString(),
                    "amount",
                    1_000,
                    "currency",
                    "EUR",
                    "destination",
                    WithdrawalClient.IBAN))
            .exchange()
            .expectBody()
            .returnResult();

    assertThat(answer.getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(answer.getResponseHeaders().getFirst("Preference-Applied")).isEqualTo("wait=10");
    JsonNode body = PaystreamClient.json(answer);
    assertThat(body.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(body.get("externalReference").isNull()).isFalse();
    assertThat(client.balance(emil, account)).isEqualTo(9_000);
  }

  private static void awaitEvent(List<ServerSentEvent<String>> seen, String name) {
    Eventually.await(
        PATIENCE,
        name + " on the account stream",
        () -> seen,
        events -> events.stream().anyMatch(event -> name.equals(event.event())));
  }
}
