package io.paystream.api.webhook;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * docs/CONTRACT.md, Operations: every customer's webhook deliveries for operators, filtered by
 * status and endpoint. One endpoint answers 200 (DELIVERED), one always 500 (PENDING, then DEAD
 * after the test configuration's 4 s horizon): each filter must tell them apart.
 */
class OpsWebhookDeliveriesIntegrationTest extends ApiIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String DELIVERIES = "/api/v1/ops/webhook-deliveries";

  private WebhookReceiver receiver;
  private User ops;

  @BeforeEach
  void receiverAndOps() {
    receiver = new WebhookReceiver();
    ops = client.ops();
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void deliveriesAreListedNewestFirstAndFilteredByEndpointAndStatus() {
    User alice = client.newCustomer();
    receiver.alwaysFail("down");
    String good = createWebhook(alice, receiver.url("up"));
    String bad = createWebhook(alice, receiver.url("down"));
    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 500, "EUR");

    JsonNode delivered =
        Eventually.await(
            TIMEOUT,
            "the delivery to the working endpoint",
            () -> only(client.get(ops, DELIVERIES + "?webhookId=" + good)),
            d -> d != null && "DELIVERED".equals(d.get("status").asString()));
    assertThat(delivered.propertyNames())
        .containsExactlyInAnyOrder(
            "id",
            "webhookId",
            "url",
            "eventId",
            "eventType",
            "status",
            "attempts",
            "lastError",
            "nextAttemptAt",
            "createdAt",
            "finishedAt");
    assertThat(delivered.get("webhookId").asString()).isEqualTo(good);
    assertThat(delivered.get("url").asString()).isEqualTo(receiver.url("up"));
    assertThat(delivered.get("eventType").asString()).isEqualTo("deposit.completed");
    assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
    assertThat(delivered.get("lastError").isNull()).isTrue();
    assertThat(delivered.get("nextAttemptAt").isNull()).isTrue();
    assertThat(Instant.parse(delivered.get("finishedAt").asString()))
        .isAfterOrEqualTo(Instant.parse(delivered.get("createdAt").asString()));
    assertThat(receiver.at("up").get(0).eventId()).isEqualTo(delivered.get("eventId").asString());

    JsonNode failing =
        Eventually.await(
            TIMEOUT,
            "a failed attempt at the broken endpoint",
            () -> only(client.get(ops, DELIVERIES + "?webhookId=" + bad)),
            d -> d != null && !d.get("lastError").isNull());
    assertThat(failing.get("lastError").asString()).contains("HTTP 500");
    assertThat(failing.get("eventId").asString()).isEqualTo(delivered.get("eventId").asString());

    assertThat(ids(DELIVERIES + "?status=DELIVERED&webhookId=" + good))
        .containsExactly(delivered.get("id").asString());
    assertThat(ids(DELIVERIES + "?status=DELIVERED&webhookId=" + bad)).isEmpty();
    assertThat(ids(DELIVERIES + "?status=DEAD&webhookId=" + good)).isEmpty();

    JsonNode dead =
        Eventually.await(
            TIMEOUT,
            "the broken endpoint's delivery dead after its horizon",
            () -> only(client.get(ops, DELIVERIES + "?status=DEAD&webhookId=" + bad)),
            d -> d != null);
    assertThat(dead.get("id").asString()).isEqualTo(failing.get("id").asString());
    assertThat(dead.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(dead.get("nextAttemptAt").isNull()).isTrue();
    assertThat(dead.get("finishedAt").isNull()).isFalse();

    JsonNode everyDead = client.get(ops, DELIVERIES + "?status=DEAD&limit=100");
    everyDead.get("items").forEach(d -> assertThat(d.get("status").asString()).isEqualTo("DEAD"));
    assertThat(ids(DELIVERIES + "?status=DEAD&limit=100")).contains(dead.get("id").asString());
  }

  @Test
  void theListingPagesNewestFirst() {
    User alice = client.newCustomer();
    String webhook = createWebhook(alice, receiver.url("paged"));
    UUID account = client.openAccount(alice, "EUR");
    for (int i = 0; i < 3; i++) {
      client.deposit(alice, account, 100, "EUR");
    }
    Eventually.await(
        TIMEOUT,
        "three deliveries",
        () -> client.get(ops, DELIVERIES + "?limit=100&webhookId=" + webhook).get("items").size(),
        n -> n == 3);

    JsonNode first = client.get(ops, DELIVERIES + "?limit=2&webhookId=" + webhook);
    List<String> firstIds = ids(first);
    assertThat(firstIds).hasSize(2);
    JsonNode second =
        client.get(
            ops,
            DELIVERIES
                + "?limit=2&webhookId="
                + webhook
                + "&cursor="
                + first.get("nextCursor").asString());
    assertThat(ids(second)).hasSize(1).doesNotContainAnyElementsOf(firstIds);
    assertThat(second.get("nextCursor").isNull()).isTrue();
    assertThat(UUID.fromString(firstIds.get(0))).isGreaterThan(UUID.fromString(firstIds.get(1)));
    assertThat(UUID.fromString(firstIds.get(1))).isGreaterThan(UUID.fromString(ids(second).get(0)));
  }

  @Test
  void badFiltersAre400AndTheListingIsForOpsOnly() {
    assertBadRequest(DELIVERIES + "?status=FAILED", "status");
    assertBadRequest(DELIVERIES + "?status=dead", "status");
    assertBadRequest(DELIVERIES + "?webhookId=nope", "webhookId");
    assertBadRequest(DELIVERIES + "?limit=0", "limit");
    assertBadRequest(DELIVERIES + "?cursor=x.y", "cursor");

    User customer = client.newCustomer();
    EntityExchangeResult<byte[]> forbidden = get(customer.token(), DELIVERIES);
    assertThat(forbidden.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(json(forbidden).get("code").asString()).isEqualTo("forbidden");
    EntityExchangeResult<byte[]> anonymous = get(null, DELIVERIES);
    assertThat(anonymous.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(anonymous.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
        .startsWith("Bearer");
  }

  private String createWebhook(User user, String url) {
    return json(http.post()
            .uri("/api/v1/webhooks")
            .headers(h -> h.setBearerAuth(user.token()))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("url", url, "events", List.of("deposit.completed")))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult())
        .get("id")
        .asString();
  }

  private void assertBadRequest(String path, String field) {
    EntityExchangeResult<byte[]> result = get(ops.token(), path);
    assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.BAD_REQUEST);
    JsonNode problem = json(result);
    assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
    assertThat(problem.get("errors").get(0).get("field").asString()).as(path).isEqualTo(field);
  }

  private EntityExchangeResult<byte[]> get(String token, String path) {
    return http.get()
        .uri(URI.create("http://localhost:" + port + path))
        .headers(
            h -> {
              if (token != null) {
                h.setBearerAuth(token);
              }
            })
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** The page's one item; null when empty; fails when there are more. */
  private static JsonNode only(JsonNode page) {
    assertThat(page.get("items").size()).isLessThanOrEqualTo(1);
    return page.get("items").isEmpty() ? null : page.get("items").get(0);
  }

  private List<String> ids(String path) {
    return ids(client.get(ops, path));
  }

  private static List<String> ids(JsonNode page) {
    return page.get("items").values().stream().map(d -> d.get("id").asString()).toList();
  }
}
