package io.paystream.api.withdrawal;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The withdrawal endpoints as a client uses them. Blocking: tests only. */
final class WithdrawalClient {

  static final String IBAN = "DE89370400440532013000";
  static final String MASKED_IBAN = "DE89**************3000";

  private final WebTestClient http;
  private final PaystreamClient client;

  WithdrawalClient(WebTestClient http, PaystreamClient client) {
    this.http = http;
    this.client = client;
  }

  EntityExchangeResult<byte[]> withdraw(
      User user, String key, UUID account, long amount, String currency, String destination) {
    return http.post()
        .uri("/api/v1/withdrawals")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "accountId",
                account.toString(),
                "amount",
                amount,
                "currency",
                currency,
                "destination",
                destination))
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** A withdrawal that must be accepted (202 PENDING); returns its id. */
  UUID accepted(User user, UUID account, long amount, String currency, String destination) {
    EntityExchangeResult<byte[]> result =
        withdraw(user, UUID.randomUUID().toString(), account, amount, currency, destination);
    assertThat(result.getStatus())
        .as(new String(result.getResponseBodyContent()))
        .isEqualTo(HttpStatus.ACCEPTED);
    JsonNode body = PaystreamClient.json(result);
    assertThat(body.get("status").asString()).isEqualTo("PENDING");
    return UUID.fromString(body.get("id").asString());
  }

  JsonNode get(User user, UUID id) {
    return client.get(user, "/api/v1/withdrawals/" + id);
  }

  /** Polls until the withdrawal is in one of {@code statuses}; fails after {@code timeout}. */
  JsonNode await(User user, UUID id, Duration timeout, String... statuses) {
    Set<String> wanted = Set.of(statuses);
    return Eventually.await(
        timeout,
        "withdrawal " + id + " to be " + wanted,
        () -> get(user, id),
        withdrawal -> wanted.contains(withdrawal.get("status").asString()));
  }
}
