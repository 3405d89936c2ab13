package io.paystream.api.webhook;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.messaging.webhook.WebhookSignature;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end: registration (secret shown once), signed deliveries checked by a real HTTP
 * receiver, retries, dead-lettering, deletion, and SSRF refusals. The application runs with
 * loopback allowed (the receiver is on 127.0.0.1), a 100 ms poll, retry delays under a second and a
 * 4 s retry horizon (ApiIntegrationTest).
 */
class WebhookIntegrationTest extends ApiIntegrationTest {

  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final long SIGNATURE_TOLERANCE_SECONDS = 300;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static WebhookReceiver receiver;

  @BeforeAll
  static void startReceiver() {
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  private EntityExchangeResult<byte[]> register(User user, String url, List<String> events) {
    return http.post()
        .uri("/api/v1/webhooks")
        .headers(h -> h.setBearerAuth(user.token()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("url", url, "events", events))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private JsonNode registered(User user, String path, List<String> events) {
    EntityExchangeResult<byte[]> result = register(user, receiver.url(path), events);
    assertThat(result.getStatus())
        .as(new String(result.getResponseBodyContent()))
        .isEqualTo(HttpStatus.CREATED);
    return PaystreamClient.json(result);
  }

  @Test
  void everySubscribedEventArrivesOnceSignedWithTheSecretShownAtCreation() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    String path = "all-" + UUID.randomUUID();
    JsonNode webhook = registered(alice, path, List.of("transfer.*", "deposit.completed"));
    String secret = webhook.get("secret").asString();
    assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
    JsonNode listed = client.get(alice, "/api/v1/webhooks").get("items").get(0);
    assertThat(listed.get("id").asString()).isEqualTo(webhook.get("id").asString());
    assertThat(listed.has("secret")).as("the secret is shown only once").isFalse();

    UUID aliceEur = client.openAccount(alice, "EUR");
    UUID bobEur = client.openAccount(bob, "EUR");
    client.deposit(alice, aliceEur, 5_000, "EUR");
    UUID transfer = client.acceptedTransfer(alice, aliceEur, bobEur, 1_000, "EUR");

    List<WebhookReceiver.Received> got = receiver.await(path, r -> r.size() >= 3, DELIVERY_TIMEOUT);
    long now = Instant.now().getEpochSecond();
    Set<String> types =
        got.stream()
            .peek(
                r ->
                    assertThat(
                            WebhookSignature.verify(
                                secret, r.signature(), r.body(), now, SIGNATURE_TOLERANCE_SECONDS))
                        .as("signature of %s", r)
                        .isTrue())
            .map(r -> JSON.readTree(r.body()).get("type").asString())
            .collect(Collectors.toSet());
    assertThat(types)
        .containsExactlyInAnyOrder("deposit.completed", "transfer.pending", "transfer.completed");
    JsonNode completed =
        got.stream()
            .map(r -> JSON.readTree(r.body()))
            .filter(body -> body.get("type").asString().equals("transfer.completed"))
            .findFirst()
            .orElseThrow();
    assertThat(completed.get("data").get("id").asString()).isEqualTo(transfer.toString());
    assertThat(completed.get("data").get("status").asString()).isEqualTo("COMPLETED");
    assertThat(got)
        .extracting(WebhookReceiver.Received::eventId)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            got.stream().map(r -> JSON.readTree(r.body()).get("id").asString()).toList());
    assertThat(
            WebhookSignature.verify(
                "whsec_wrong",
                got.get(0).signature(),
                got.get(0).body(),
                now,
                SIGNATURE_TOLERANCE_SECONDS))
        .isFalse();
  }

  @Test
  void aReceiverThatFailsAtFirstGetsTheEventOnALaterAttempt() {
    User alice = client.newCustomer();
    String path = "flaky-" + UUID.randomUUID();
    receiver.failFirst(path, 2);
    registered(alice, path, List.of("deposit.completed"));
    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 700, "EUR");

    List<WebhookReceiver.Received> got = receiver.await(path, r -> r.size() >= 3, DELIVERY_TIMEOUT);

    assertThat(got).hasSize(3);
    assertThat(got)
        .extracting(WebhookReceiver.Received::eventId)
        .containsOnly(got.get(0).eventId());
  }

  @Test
  void aReceiverThatNeverAcceptsIsRetriedUntilTheHorizonThenDeadLettered() {
    User alice = client.newCustomer();
    String path = "down-" + UUID.randomUUID();
    receiver.alwaysFail(path);
    JsonNode webhook = registered(alice, path, List.of("deposit.*"));
    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 700, "EUR");

    receiver.await(path, r -> r.size() >= 2, DELIVERY_TIMEOUT);
    User ops = client.ops();
    String endpointId = webhook.get("id").asString();
    JsonNode dead = awaitDeadLetter(ops, endpointId);
    int attempts = receiver.at(path).size();
    assertThat(dead.get("attempts").asInt()).isEqualTo(attempts);
    assertThat(dead.get("error").asString()).contains("500");
    // The sender claims only PENDING deliveries, and counts an attempt at each claim: once it has
    // polled again, a dead letter still listed with the same attempts was never taken up again.
    awaitTheSenderPolledAgain();
    assertThat(deadLetter(ops, endpointId))
        .as("still dead-lettered, after the same attempts")
        .hasValueSatisfying(
            letter -> assertThat(letter.get("attempts").asInt()).isEqualTo(attempts));
    assertThat(receiver.at(path)).as("no attempts after dead-lettering").hasSize(attempts);

    // An operator replays it once the receiver is back: it arrives, signed, with the same id.
    receiver.failFirst(path, 0);
    http.post()
        .uri("/api/v1/ops/dead-letters/{id}/replay", dead.get("id").asString())
        .headers(h -> h.setBearerAuth(ops.token()))
        .exchange()
        .expectStatus()
        .isAccepted();
    List<WebhookReceiver.Received> after =
        receiver.await(path, r -> r.size() > attempts, DELIVERY_TIMEOUT);
    assertThat(after.get(after.size() - 1).eventId()).isEqualTo(dead.get("eventId").asString());
  }

  @Test
  void deadLettersAreForOperatorsOnly() {
    User alice = sharedUser();
    http.get()
        .uri("/api/v1/ops/dead-letters")
        .headers(h -> h.setBearerAuth(alice.token()))
        .exchange()
        .expectStatus()
        .isForbidden();
    http.post()
        .uri("/api/v1/ops/dead-letters/{id}/replay", UUID.randomUUID())
        .headers(h -> h.setBearerAuth(alice.token()))
        .exchange()
        .expectStatus()
        .isForbidden();
    http.post()
        .uri("/api/v1/ops/dead-letters/{id}/replay", UUID.randomUUID())
        .headers(h -> h.setBearerAuth(client.ops().token()))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private JsonNode awaitDeadLetter(User ops, String endpointId) {
    return Eventually.awaitPresent(
        DELIVERY_TIMEOUT,
        "a dead letter for endpoint " + endpointId,
        () -> deadLetter(ops, endpointId));
  }

  private Optional<JsonNode> deadLetter(User ops, String endpointId) {
    return client
        .get(ops, "/api/v1/ops/dead-letters?limit=100")
        .get("items")
        .valueStream()
        .filter(
            item ->
                "WEBHOOK".equals(item.get("kind").asString())
                    && endpointId.equals(item.path("endpointId").asString()))
        .findFirst();
  }

  /**
   * Returns once an event made now has reached another customer's webhook: the sender has polled
   * since this was called. Another customer's, so that the event reaches no webhook under test.
   */
  private void awaitTheSenderPolledAgain() {
    User other = client.newCustomer();
    String witness = "witness-" + UUID.randomUUID();
    registered(other, witness, List.of("deposit.completed"));
    client.deposit(other, client.openAccount(other, "EUR"), 100, "EUR");
    receiver.await(witness, r -> r.size() >= 1, DELIVERY_TIMEOUT);
  }

  @Test
  void aDeletedWebhookReceivesNothingMoreAndOnlyItsOwnerCanDeleteIt() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    String path = "deleted-" + UUID.randomUUID();
    String id = registered(alice, path, List.of("deposit.completed")).get("id").asString();

    assertProblem(
        http.delete()
            .uri("/api/v1/webhooks/{id}", id)
            .headers(h -> h.setBearerAuth(bob.token()))
            .exchange()
            .expectBody()
            .returnResult(),
        HttpStatus.NOT_FOUND,
        "not_found");
    http.delete()
        .uri("/api/v1/webhooks/{id}", id)
        .headers(h -> h.setBearerAuth(alice.token()))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(client.get(alice, "/api/v1/webhooks").get("items").size()).isZero();

    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 700, "EUR");
    // A second, live webhook proves the deposit's event was fanned out meanwhile.
    String witness = "witness-" + UUID.randomUUID();
    registered(alice, witness, List.of("deposit.completed"));
    client.deposit(alice, account, 800, "EUR");
    receiver.await(witness, r -> r.size() >= 1, DELIVERY_TIMEOUT);
    assertThat(receiver.at(path)).isEmpty();
  }

  /**
   * Loopback is allowed here, so the IPv4-compatible forms of 127.0.0.1 prove that range is refused
   * outright, and the NAT64, 6to4 and Teredo forms that they are judged by the IPv4 address they
   * carry.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://192.168.1.10/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "ftp://example.com/hook",
        "http://user:secret@127.0.0.1/hook",
        "not a url",
        "http://[::127.0.0.1]/",
        "http://[::7f00:1]/",
        "http://[::10.0.0.1]/",
        "http://[::a9fe:a9fe]/",
        "http://[64:ff9b::169.254.169.254]/latest/meta-data",
        "http://[2002:a00:1::1]/hook",
        "http://[2001:0:808:808::5601:5601]/hook"
      })
  void urlsThatWouldReachPrivateNetworksOrAreNotHttpAreRefused(String url) {
    User alice = sharedUser();
    EntityExchangeResult<byte[]> refused = register(alice, url, List.of("transfer.*"));
    assertThat(errorFields(assertProblem(refused, HttpStatus.BAD_REQUEST, "validation_failed")))
        .containsExactly("url");
    assertThat(client.get(alice, "/api/v1/webhooks").get("items").size()).isZero();
  }

  @Test
  void unknownEventNamesAreRefused() {
    EntityExchangeResult<byte[]> refused =
        register(sharedUser(), receiver.url("x"), List.of("transfer.exploded"));
    assertThat(errorFields(assertProblem(refused, HttpStatus.BAD_REQUEST, "validation_failed")))
        .containsExactly("events");
  }

  private static User shared;

  private User sharedUser() {
    if (shared == null) {
      shared = client.newCustomer();
    }
    return shared;
  }
}
