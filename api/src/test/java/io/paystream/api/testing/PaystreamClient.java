package io.paystream.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of the public contract, as a mobile app would use it. Blocking: tests only. */
public final class PaystreamClient {

  public static final String PASSWORD = "a-long-enough-password";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final WebTestClient http;

  public PaystreamClient(WebTestClient http) {
    this.http = http;
  }

  /** A registered, logged-in customer with a fresh email. */
  public record User(UUID id, String email, String token) {}

  public User newCustomer() {
    String email = "user-" + UUID.randomUUID() + "@example.com";
    JsonNode registered =
        json(
            http.post()
                .uri("/api/v1/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD, "name", "Test User"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult());
    UUID id = UUID.fromString(registered.get("userId").asString());
    return new User(id, email, login(email, PASSWORD));
  }

  public User ops() {
    return new User(
        null,
        ApiIntegrationTest.OPS_EMAIL,
        login(ApiIntegrationTest.OPS_EMAIL, ApiIntegrationTest.OPS_PASSWORD));
  }

  public String login(String email, String password) {
    return json(http.post()
            .uri("/api/v1/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("email", email, "password", password))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult())
        .get("accessToken")
        .asString();
  }

  public UUID openAccount(User user, String currency) {
    return UUID.fromString(
        json(http.post()
                .uri("/api/v1/accounts")
                .headers(h -> h.setBearerAuth(user.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currency", currency))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult())
            .get("id")
            .asString());
  }

  public void deposit(User user, UUID account, long amount, String currency) {
    http.post()
        .uri("/api/v1/deposits")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "accountId",
                account.toString(),
                "amount",
                amount,
                "currency",
                currency,
                "reference",
                "test funding"))
        .exchange()
        .expectStatus()
        .isCreated();
  }

  /** Sends a transfer and returns the raw response; the caller asserts on it. */
  public EntityExchangeResult<byte[]> transfer(
      User user, String key, UUID from, UUID to, long amount, String currency) {
    return http.post()
        .uri("/api/v1/transfers")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "fromAccountId",
                from.toString(),
                "toAccountId",
                to.toString(),
                "amount",
                amount,
                "currency",
                currency,
                "description",
                "test transfer"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  /**
   * A POST that moves money, with {@code key} as its Idempotency-Key and {@code body} as JSON;
   * returns the raw response for the caller to assert on.
   */
  public EntityExchangeResult<byte[]> moneyPost(User user, String path, String key, Object body) {
    return http.post()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** A transfer that must be accepted (202); returns its id. */
  public UUID acceptedTransfer(User user, UUID from, UUID to, long amount, String currency) {
    EntityExchangeResult<byte[]> result =
        transfer(user, UUID.randomUUID().toString(), from, to, amount, currency);
    assertThat(result.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    return UUID.fromString(json(result).get("id").asString());
  }

  public JsonNode getTransfer(User user, UUID id) {
    return json(
        http.get()
            .uri("/api/v1/transfers/{id}", id)
            .headers(h -> h.setBearerAuth(user.token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult());
  }

  /** Polls until the transfer leaves PENDING; fails after {@code timeout}. */
  public JsonNode awaitTerminal(User user, UUID transferId, Duration timeout) {
    return Eventually.await(
        timeout,
        "transfer " + transferId + " to leave PENDING",
        () -> getTransfer(user, transferId),
        transfer -> !"PENDING".equals(transfer.get("status").asString()));
  }

  public JsonNode account(User user, UUID account) {
    return json(
        http.get()
            .uri("/api/v1/accounts/{id}", account)
            .headers(h -> h.setBearerAuth(user.token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult());
  }

  public long balance(User user, UUID account) {
    return account(user, account).get("balance").asLong();
  }

  public JsonNode get(User user, String path) {
    return json(
        http.get()
            .uri(path)
            .headers(h -> h.setBearerAuth(user.token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult());
  }

  public static JsonNode json(EntityExchangeResult<byte[]> result) {
    return JSON.readTree(result.getResponseBody());
  }
}
