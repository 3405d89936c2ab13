package io.paystream.api.live;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
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
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CONTRACT.md, Live status and Prefer: wait, through real HTTP against one instance. */
public class LiveStatusIntegrationTest extends ApiIntegrationTest {

  static final Duration STREAM_TIMEOUT = Duration.ofSeconds(20);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};

  @Test
  void aTransferStreamSendsPendingThenCompletedWithIncreasingIdsAndEnds() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 5_000, "EUR");
    UUID transfer = client.acceptedTransfer(alice, from, to, 1_250, "EUR");

    List<ServerSentEvent<String>> events =
        events(port, alice, "/api/v1/transfers/" + transfer + "/events", null)
            .collectList()
            .block(STREAM_TIMEOUT);

    assertThat(events)
        .extracting(ServerSentEvent::event)
        .containsExactly("transfer.pending", "transfer.completed");
    assertThat(Long.parseLong(events.get(1).id()))
        .isGreaterThan(Long.parseLong(events.get(0).id()));
    JsonNode completed = JSON.readTree(events.get(1).data());
    assertThat(completed.get("id").asString()).isEqualTo(transfer.toString());
    assertThat(completed.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(completed.get("amount").asLong()).isEqualTo(1_250);
  }

  @Test
  void aFinishedTransfersStreamResumedAfterItsTerminalEventEndsAtOnce() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 5_000, "EUR");
    UUID transfer = client.acceptedTransfer(alice, from, to, 10, "EUR");
    String path = "/api/v1/transfers/" + transfer + "/events";
    List<ServerSentEvent<String>> whole =
        events(port, alice, path, null).collectList().block(STREAM_TIMEOUT);

    long started = System.nanoTime();
    List<ServerSentEvent<String>> afterEnd =
        events(port, alice, path, whole.get(whole.size() - 1).id())
            .collectList()
            .block(STREAM_TIMEOUT);
    List<ServerSentEvent<String>> afterPending =
        events(port, alice, path, whole.get(0).id()).collectList().block(STREAM_TIMEOUT);

    assertThat(afterEnd).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(afterPending)
        .extracting(ServerSentEvent::event)
        .containsExactly("transfer.completed");
  }

  @Test
  void aStreamResumedWithLastEventIdGetsEveryMissedEventOnceInOrderThenLiveOnes() {
    User bob = client.newCustomer();
    UUID account = client.openAccount(bob, "EUR");
    String path = "/api/v1/accounts/" + account + "/events";
    List<ServerSentEvent<String>> first = new CopyOnWriteArrayList<>();
    Disposable listening = listen(port, bob, path, null, first);
    client.deposit(bob, account, 1, "EUR");
    Eventually.await(STREAM_TIMEOUT, "first deposit event", () -> first.size() == 1);
    listening.dispose();

    client.deposit(bob, account, 2, "EUR");
    client.deposit(bob, account, 3, "EUR");
    List<ServerSentEvent<String>> resumed = new CopyOnWriteArrayList<>();
    Disposable again = listen(port, bob, path, first.get(0).id(), resumed);
    Eventually.await(STREAM_TIMEOUT, "the two missed deposits", () -> resumed.size() == 2);
    client.deposit(bob, account, 4, "EUR");
    Eventually.await(STREAM_TIMEOUT, "the live deposit after the seam", () -> resumed.size() == 3);
    again.dispose();

    assertThat(resumed).extracting(ServerSentEvent::event).containsOnly("deposit.completed");
    assertThat(resumed)
        .extracting(event -> JSON.readTree(event.data()).get("amount").asLong())
        .containsExactly(2L, 3L, 4L);
    List<Long> ids = resumed.stream().map(event -> Long.parseLong(event.id())).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids.get(0)).isGreaterThan(Long.parseLong(first.get(0).id()));
  }

  @Test
  void anOpsStreamSeesEveryonesEventsAndACustomerMayNotOpenIt() {
    User carol = client.newCustomer();
    UUID account = client.openAccount(carol, "EUR");
    List<ServerSentEvent<String>> seen = new CopyOnWriteArrayList<>();
    Disposable listening = listen(port, client.ops(), "/api/v1/ops/events", null, seen);
    client.deposit(carol, account, 77, "EUR");
    Eventually.await(
        STREAM_TIMEOUT,
        "carol's deposit on the ops stream",
        () -> seen.stream().anyMatch(event -> event.data().contains(account.toString())));
    listening.dispose();

    EntityExchangeResult<byte[]> refused =
        http.get()
            .uri("/api/v1/ops/events")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .headers(h -> h.setBearerAuth(carol.token()))
            .exchange()
            .expectBody()
            .returnResult();
    assertProblem(refused, HttpStatus.FORBIDDEN, "forbidden");
  }

  @Test
  void openStreamsAndDeliveryLagAreExposedAsMetrics() {
    User frank = client.newCustomer();
    UUID account = client.openAccount(frank, "EUR");
    List<ServerSentEvent<String>> seen = new CopyOnWriteArrayList<>();
    Disposable listening =
        listen(port, frank, "/api/v1/accounts/" + account + "/events", null, seen);
    client.deposit(frank, account, 5, "EUR");
    Eventually.await(STREAM_TIMEOUT, "the deposit event", () -> seen.size() == 1);

    String metrics =
        new String(
            http.get()
                .uri("/actuator/prometheus")
                .headers(h -> h.setBearerAuth(client.ops().token()))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody(),
            java.nio.charset.StandardCharsets.UTF_8);
    listening.dispose();

    assertThat(metrics).containsPattern("(?m)^paystream_live_subscribers\\S* [1-9]");
    assertThat(metrics)
        .containsPattern("(?m)^paystream_events_delivery_lag_seconds_count\\S* [1-9]");
  }

  @Test
  void aStrangerCannotOpenAnotherCustomersTransferOrAccountStream() {
    User owner = client.newCustomer();
    User stranger = client.newCustomer();
    UUID from = client.openAccount(owner, "EUR");
    UUID to = client.openAccount(owner, "EUR");
    client.deposit(owner, from, 100, "EUR");
    UUID transfer = client.acceptedTransfer(owner, from, to, 10, "EUR");

    assertProblem(
        stream(stranger, "/api/v1/transfers/" + transfer + "/events"),
        HttpStatus.NOT_FOUND,
        "transfer_not_found");
    assertProblem(
        stream(stranger, "/api/v1/transfers/" + UUID.randomUUID() + "/events"),
        HttpStatus.NOT_FOUND,
        "transfer_not_found");
    assertProblem(
        stream(stranger, "/api/v1/accounts/" + from + "/events"),
        HttpStatus.NOT_FOUND,
        "account_not_found");
    assertProblem(
        http.get()
            .uri("/api/v1/accounts/" + from + "/events")
            .headers(h -> h.set("Last-Event-ID", "not-a-number"))
            .headers(h -> h.setBearerAuth(owner.token()))
            .exchange()
            .expectBody()
            .returnResult(),
        HttpStatus.BAD_REQUEST,
        "validation_failed");
  }

  @Test
  void preferWaitAnswersTheCompletedTransferAndSaysThePreferenceWasApplied() {
    User dave = client.newCustomer();
    UUID from = client.openAccount(dave, "EUR");
    UUID to = client.openAccount(dave, "EUR");
    client.deposit(dave, from, 1_000, "EUR");
    String key = UUID.randomUUID().toString();

    EntityExchangeResult<byte[]> waited = transferPreferring(dave, key, from, to, "wait=10");
    EntityExchangeResult<byte[]> replayed = transferPreferring(dave, key, from, to, "wait=10");

    assertThat(waited.getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(waited.getResponseHeaders().getFirst("Preference-Applied")).isEqualTo("wait=10");
    assertThat(PaystreamClient.json(waited).get("status").asString()).isEqualTo("COMPLETED");
    assertThat(replayed.getStatus())
        .as("a replay answers as stored")
        .isEqualTo(HttpStatus.ACCEPTED);
    assertThat(replayed.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replayed.getResponseHeaders().getFirst("Preference-Applied")).isNull();
  }

  @Test
  void withoutPreferWaitATransferIsStillAcceptedPending() {
    User erin = client.newCustomer();
    UUID from = client.openAccount(erin, "EUR");
    UUID to = client.openAccount(erin, "EUR");
    client.deposit(erin, from, 1_000, "EUR");

    EntityExchangeResult<byte[]> plain =
        client.transfer(erin, UUID.randomUUID().toString(), from, to, 10, "EUR");

    assertThat(plain.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(PaystreamClient.json(plain).get("status").asString()).isEqualTo("PENDING");
    assertThat(plain.getResponseHeaders().getFirst("Preference-Applied")).isNull();
  }

  // --- helpers --------------------------------------------------------------------------------

  private EntityExchangeResult<byte[]> transferPreferring(
      User user, String key, UUID from, UUID to, String prefer) {
    return http.post()
        .uri("/api/v1/transfers")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", key)
        .header("Prefer", prefer)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "fromAccountId",
                from.toString(),
                "toAccountId",
                to.toString(),
                "amount",
                100,
                "currency",
                "EUR",
                "description",
                "waited"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> stream(User user, String path) {
    return http.get()
        .uri(path)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(h -> h.setBearerAuth(user.token()))
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** The named events of a stream, comments dropped. */
  public static Flux<ServerSentEvent<String>> events(
      int port, User user, String path, String lastEventId) {
    return raw(port, user, path, lastEventId).filter(event -> event.event() != null);
  }

  /**
   * Subscribes, collects the named events into {@code into}, and returns once the opening comment
   * arrived: from then on the server has the subscription and no event is missed.
   */
  public static Disposable listen(
      int port, User user, String path, String lastEventId, List<ServerSentEvent<String>> into) {
    java.util.concurrent.atomic.AtomicBoolean open =
        new java.util.concurrent.atomic.AtomicBoolean();
    Disposable subscription =
        raw(port, user, path, lastEventId)
            .subscribe(
                event -> {
                  if (event.event() == null) {
                    open.set(true);
                  } else {
                    into.add(event);
                  }
                });
    Eventually.await(STREAM_TIMEOUT, "the opening comment of " + path, open::get);
    return subscription;
  }

  private static Flux<ServerSentEvent<String>> raw(
      int port, User user, String path, String lastEventId) {
    return WebClient.create("http://localhost:" + port)
        .get()
        .uri(path)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(
            h -> {
              h.setBearerAuth(user.token());
              if (lastEventId != null) {
                h.set("Last-Event-ID", lastEventId);
              }
            })
        .retrieve()
        .bodyToFlux(SSE)
        .timeout(STREAM_TIMEOUT);
  }
}
