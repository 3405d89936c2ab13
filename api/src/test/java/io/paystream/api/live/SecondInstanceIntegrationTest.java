package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.OtherInstance;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/**
 * "Any instance of the API can serve a stream for a transfer made through another instance": a
 * second, independent application (its own port, poller, Kafka clients and connection pools) on the
 * same PostgreSQL, Kafka and Redis. It is started with room for a single stream, which also shows
 * the per-instance subscriber limit.
 */
class SecondInstanceIntegrationTest extends ApiIntegrationTest {

  private static ConfigurableApplicationContext second;
  private static int secondPort;

  @BeforeAll
  static void startSecondInstance() {
    second =
        OtherInstance.start(
            Map.of(
                "paystream.live.subscribers-max", "1",
                "paystream.live.retry-after-seconds", "7",
                "paystream.live.retry-after-jitter-seconds", "3"));
    secondPort = OtherInstance.port(second);
  }

  @AfterAll
  static void stopSecondInstance() {
    if (second != null) {
      second.close();
    }
  }

  @Test
  void aTransferMadeThroughOneInstanceIsWatchedLiveThroughTheOther() {
    assertThat(secondPort).isNotEqualTo(port);
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    List<ServerSentEvent<String>> onSecond = new CopyOnWriteArrayList<>();
    Disposable watching =
        LiveStatusIntegrationTest.listen(
            secondPort, alice, "/api/v1/accounts/" + to + "/events", null, onSecond);

    client.deposit(alice, from, 900, "EUR");
    UUID transfer = client.acceptedTransfer(alice, from, to, 400, "EUR");
    Eventually.await(
        LiveStatusIntegrationTest.STREAM_TIMEOUT,
        "the transfer's two events on the second instance",
        () -> onSecond.size() == 2);
    watching.dispose();
    List<ServerSentEvent<String>> transferStream =
        LiveStatusIntegrationTest.events(
                secondPort, alice, "/api/v1/transfers/" + transfer + "/events", null)
            .collectList()
            .block(LiveStatusIntegrationTest.STREAM_TIMEOUT);

    assertThat(onSecond)
        .extracting(ServerSentEvent::event)
        .containsExactly("transfer.pending", "transfer.completed");
    assertThat(onSecond).allMatch(event -> event.data().contains(transfer.toString()));
    assertThat(transferStream)
        .extracting(ServerSentEvent::id)
        .containsExactlyElementsOf(onSecond.stream().map(ServerSentEvent::id).toList());
  }

  /**
   * Each instance remembers active logins; a logout through one instance must reach the other's
   * memory (a PostgreSQL notification), not wait for an entry to expire.
   */
  @Test
  void aLogoutThroughOneInstanceRevokesTheAccessTokenOnTheOtherWithinSeconds() {
    User carol = client.newCustomer();
    JsonNode login =
        PaystreamClient.json(
            http.post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", carol.email(), "password", PaystreamClient.PASSWORD))
                .exchange()
                .expectBody()
                .returnResult());
    String access = login.get("accessToken").asString();
    WebTestClient onSecond =
        WebTestClient.bindToServer().baseUrl("http://localhost:" + secondPort).build();
    assertThat(status(onSecond, access))
        .as("before the logout, remembered as active")
        .isEqualTo(HttpStatus.OK);
    assertThat(status(onSecond, access)).isEqualTo(HttpStatus.OK);

    http.post()
        .uri("/api/v1/auth/logout")
        .headers(h -> h.setBearerAuth(access))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", login.get("refreshToken").asString()))
        .exchange()
        .expectStatus()
        .isNoContent();

    Eventually.await(
        LiveStatusIntegrationTest.STREAM_TIMEOUT,
        "the second instance to refuse the logged-out token",
        () -> status(onSecond, access) == HttpStatus.UNAUTHORIZED);
  }

  private static HttpStatus status(WebTestClient instance, String accessToken) {
    return HttpStatus.valueOf(
        instance
            .get()
            .uri("/api/v1/me")
            .headers(h -> h.setBearerAuth(accessToken))
            .exchange()
            .expectBody()
            .returnResult()
            .getStatus()
            .value());
  }

  @Test
  void pastItsSubscriberLimitAnInstanceAnswers503WithRetryAfterAndDoesNotWaitOnPrefer() {
    User bob = client.newCustomer();
    UUID account = client.openAccount(bob, "EUR");
    List<ServerSentEvent<String>> first = new CopyOnWriteArrayList<>();
    Disposable holding =
        LiveStatusIntegrationTest.listen(
            secondPort, bob, "/api/v1/accounts/" + account + "/events", null, first);
    try {
      EntityExchangeResult<byte[]> refused =
          WebTestClient.bindToServer()
              .baseUrl("http://localhost:" + secondPort)
              .responseTimeout(Duration.ofSeconds(10))
              .build()
              .get()
              .uri("/api/v1/accounts/" + account + "/events")
              .accept(MediaType.TEXT_EVENT_STREAM)
              .headers(h -> h.setBearerAuth(bob.token()))
              .exchange()
              .expectBody()
              .returnResult();

      assertThat(refused.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
      // 7 s and up to 3 s of jitter: the configured values, not the defaults.
      assertThat(Long.parseLong(refused.getResponseHeaders().getFirst("Retry-After")))
          .isBetween(7L, 10L);
      assertThat(refused.getResponseHeaders().getContentType())
          .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      UUID other = client.openAccount(bob, "EUR");
      client.deposit(bob, account, 100, "EUR");
      EntityExchangeResult<byte[]> notWaited =
          WebTestClient.bindToServer()
              .baseUrl("http://localhost:" + secondPort)
              .responseTimeout(Duration.ofSeconds(10))
              .build()
              .post()
              .uri("/api/v1/transfers")
              .headers(h -> h.setBearerAuth(bob.token()))
              .header("Idempotency-Key", UUID.randomUUID().toString())
              .header("Prefer", "wait=10")
              .contentType(MediaType.APPLICATION_JSON)
              .bodyValue(
                  Map.of(
                      "fromAccountId",
                      account.toString(),
                      "toAccountId",
                      other.toString(),
                      "amount",
                      1,
                      "currency",
                      "EUR"))
              .exchange()
              .expectBody()
              .returnResult();
      assertThat(notWaited.getStatus()).as("no slot to wait in").isEqualTo(HttpStatus.ACCEPTED);
      assertThat(notWaited.getResponseHeaders().getFirst("Preference-Applied")).isNull();
    } finally {
      holding.dispose();
    }
    Eventually.await(
        LiveStatusIntegrationTest.STREAM_TIMEOUT,
        "the instance to answer",
        () ->
            http.mutate()
                .baseUrl("http://localhost:" + secondPort)
                .build()
                .get()
                .uri("/api/v1/accounts/" + account)
                .headers(h -> h.setBearerAuth(bob.token()))
                .exchange()
                .returnResult(byte[].class)
                .getStatus()
                .is2xxSuccessful());
  }
}
