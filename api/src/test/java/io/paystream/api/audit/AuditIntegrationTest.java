package io.paystream.api.audit;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * The audit trail: every security- and money-relevant fact, with who, which request and from where;
 * append-only; readable by OPS only, page by page; never a password, token or full email.
 */
class AuditIntegrationTest extends ApiIntegrationTest {

  @Autowired DatabaseClient db;

  @Test
  void aFailedAndASuccessfulLoginAreRecordedWithRequestIdAddressAndAMaskedEmail() {
    User alice = client.newCustomer();
    http.post()
        .uri("/api/v1/auth/login")
        .header("X-Request-Id", "audit-login-failed-1")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", alice.email(), "password", "not-the-password-at-all"))
        .exchange()
        .expectStatus()
        .isUnauthorized();

    JsonNode failed = only(events(alice.id(), AuditTrail.LOGIN_FAILED));
    JsonNode succeeded = events(alice.id(), AuditTrail.LOGIN_SUCCEEDED).get(0);

    assertThat(failed.get("requestId").asString()).isEqualTo("audit-login-failed-1");
    assertThat(failed.get("clientAddress").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(failed.get("metadata").get("email").asString())
        .isEqualTo("u***@example.com")
        .doesNotContain(alice.email());
    assertThat(succeeded.get("metadata").get("email").asString()).isEqualTo("u***@example.com");
  }

  @Test
  void noEventEverHoldsAPasswordATokenOrAFullEmail() {
    User alice = client.newCustomer();
    String refresh = loginForRefreshToken(alice);
    logout(alice, refresh);

    String trail =
        client
            .get(client.ops(), "/api/v1/ops/audit?userId=" + alice.id() + "&limit=100")
            .toString();

    assertThat(trail).contains(AuditTrail.LOGOUT).contains(AuditTrail.REGISTERED);
    assertThat(trail)
        .doesNotContain(alice.email())
        .doesNotContain(PaystreamClient.PASSWORD)
        .doesNotContain(refresh)
        .doesNotContain(alice.token());
  }

  @Test
  void refreshTokenReuseAndLogoutAreRecorded() {
    User alice = client.newCustomer();
    String first = loginForRefreshToken(alice);
    refresh(first).expectStatus().isOk();
    refresh(first).expectStatus().isUnauthorized();

    JsonNode reused = only(events(alice.id(), AuditTrail.REFRESH_TOKEN_REUSED));
    assertThat(reused.get("metadata").has("familyId")).isTrue();

    String other = loginForRefreshToken(alice);
    logout(alice, other);
    assertThat(events(alice.id(), AuditTrail.LOGOUT)).hasSize(1);
  }

  @Test
  void freezeUnfreezeAndCloseAreRecordedWithTheActorAndTheAccount() {
    User alice = client.newCustomer();
    User ops = client.ops();
    UUID account = client.openAccount(alice, "EUR");
    post(ops, "/api/v1/accounts/" + account + "/freeze");
    post(ops, "/api/v1/accounts/" + account + "/unfreeze");
    post(alice, "/api/v1/accounts/" + account + "/close");

    JsonNode closed = only(events(alice.id(), AuditTrail.ACCOUNT_CLOSED));
    assertThat(closed.get("metadata").get("accountId").asString()).isEqualTo(account.toString());
    assertThat(closed.get("metadata").get("from").asString()).isEqualTo("ACTIVE");

    List<JsonNode> frozen =
        items(client.get(ops, "/api/v1/ops/audit?type=account.frozen&limit=100"));
    assertThat(frozen)
        .anySatisfy(
            event -> {
              assertThat(event.get("metadata").get("accountId").asString())
                  .isEqualTo(account.toString());
              assertThat(event.get("metadata").get("ownerId").asString())
                  .isEqualTo(alice.id().toString());
            });
    List<JsonNode> unfrozen =
        items(client.get(ops, "/api/v1/ops/audit?type=account.unfrozen&limit=100"));
    assertThat(unfrozen)
        .anySatisfy(
            event ->
                assertThat(event.get("metadata").get("accountId").asString())
                    .isEqualTo(account.toString()));
  }

  @Test
  void everyAcceptedAndEveryRejectedMoneyMovementIsRecordedOnceEvenWhenReplayed() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 1_000, "EUR");
    String acceptedKey = UUID.randomUUID().toString();
    UUID transfer =
        UUID.fromString(
            PaystreamClient.json(client.transfer(alice, acceptedKey, from, to, 400, "EUR"))
                .get("id")
                .asString());
    client.transfer(alice, acceptedKey, from, to, 400, "EUR");
    String rejectedKey = UUID.randomUUID().toString();
    assertProblem(
        client.transfer(alice, rejectedKey, from, to, 5_000, "EUR"),
        HttpStatus.UNPROCESSABLE_CONTENT,
        "insufficient_funds");
    client.transfer(alice, rejectedKey, from, to, 5_000, "EUR");

    List<JsonNode> accepted = events(alice.id(), AuditTrail.MONEY_ACCEPTED);
    List<JsonNode> rejected = events(alice.id(), AuditTrail.MONEY_REJECTED);

    assertThat(accepted).hasSize(2); // the deposit and the transfer
    assertThat(accepted)
        .anySatisfy(
            event -> {
              assertThat(event.get("metadata").get("operation").asString())
                  .isEqualTo("POST /api/v1/transfers");
              assertThat(event.get("metadata").get("resourceId").asString())
                  .isEqualTo(transfer.toString());
              assertThat(event.get("metadata").get("status").asInt()).isEqualTo(202);
            });
    JsonNode refusal = only(rejected);
    assertThat(refusal.get("metadata").get("code").asString()).isEqualTo("insufficient_funds");
    assertThat(refusal.get("metadata").get("amount").asLong()).isEqualTo(5_000);
    assertThat(refusal.get("metadata").has("description")).isFalse();
  }

  @Test
  void theAuditTrailIsForOpsOnly() {
    User alice = client.newCustomer();
    http.get()
        .uri("/api/v1/ops/audit")
        .headers(h -> h.setBearerAuth(alice.token()))
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get().uri("/api/v1/ops/audit").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void theAuditTrailPagesNewestFirstWithACursor() {
    User alice = client.newCustomer();
    for (int i = 0; i < 4; i++) {
      http.post()
          .uri("/api/v1/auth/login")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("email", alice.email(), "password", "wrong-password-" + i))
          .exchange()
          .expectStatus()
          .isUnauthorized();
    }
    User ops = client.ops();
    String base = "/api/v1/ops/audit?type=auth.login.failed&userId=" + alice.id() + "&limit=3";

    JsonNode first = client.get(ops, base);
    JsonNode second = client.get(ops, base + "&cursor=" + first.get("nextCursor").asString());

    assertThat(first.get("items")).hasSize(3);
    assertThat(second.get("items")).hasSize(1);
    assertThat(second.get("nextCursor").isNull()).isTrue();
    List<String> ids = new ArrayList<>();
    items(first).forEach(event -> ids.add(event.get("id").asString()));
    items(second).forEach(event -> ids.add(event.get("id").asString()));
    assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void theAuditTrailRefusesABadTypeLimitOrCursor() {
    User ops = client.ops();
    for (String query :
        List.of("type=DROP%20TABLE", "limit=0", "limit=101", "cursor=@@", "userId=not-a-uuid")) {
      http.get()
          .uri("/api/v1/ops/audit?" + query)
          .headers(h -> h.setBearerAuth(ops.token()))
          .exchange()
          .expectStatus()
          .isBadRequest();
    }
  }

  @Test
  void theDatabaseRefusesToUpdateOrDeleteAnAuditEvent() {
    client.newCustomer();

    db.sql("UPDATE audit_event SET type = 'tampered'")
        .fetch()
        .rowsUpdated()
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("append-only"))
        .verify();
    db.sql("DELETE FROM audit_event")
        .fetch()
        .rowsUpdated()
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("append-only"))
        .verify();
    db.sql("TRUNCATE audit_event")
        .fetch()
        .rowsUpdated()
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("append-only"))
        .verify();
  }

  private List<JsonNode> events(UUID userId, String type) {
    return items(
        client.get(
            client.ops(), "/api/v1/ops/audit?userId=" + userId + "&type=" + type + "&limit=100"));
  }

  private static List<JsonNode> items(JsonNode page) {
    List<JsonNode> items = new ArrayList<>();
    page.get("items").forEach(items::add);
    return items;
  }

  private static JsonNode only(List<JsonNode> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private String loginForRefreshToken(User user) {
    return PaystreamClient.json(
            http.post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", user.email(), "password", PaystreamClient.PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult())
        .get("refreshToken")
        .asString();
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec refresh(
      String token) {
    return http.post()
        .uri("/api/v1/auth/refresh")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", token))
        .exchange();
  }

  private void logout(User user, String refreshToken) {
    http.post()
        .uri("/api/v1/auth/logout")
        .headers(h -> h.setBearerAuth(user.token()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", refreshToken))
        .exchange()
        .expectStatus()
        .isNoContent();
  }

  private void post(User user, String path) {
    http.post()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .exchange()
        .expectStatus()
        .isOk();
  }
}
