package io.paystream.api.live;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * One customer cannot hold every stream of an instance (paystream.live.subscribers-per-user-max).
 */
class StreamCapsIntegrationTest extends ApiIntegrationTest {

  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};

  @Autowired private LiveProperties properties;

  @Autowired private LiveSubscribers subscribers;

  private final List<Disposable> open = new ArrayList<>();
  private final List<UUID> users = new ArrayList<>();

  /** Closes this test's streams and waits until the server has their slots back. */
  @AfterEach
  void closeStreams() {
    open.forEach(Disposable::dispose);
    for (UUID user : users) {
      Eventually.await(
          LiveStatusIntegrationTest.STREAM_TIMEOUT,
          "the streams of " + user + " closed on the server",
          () -> subscribers.active(user) == 0);
    }
  }

  @Test
  void aUserPastTheirStreamCapGets429WhileOtherUsersAreStillServed() {
    User greedy = client.newCustomer();
    users.add(greedy.id());
    String path = "/api/v1/accounts/" + client.openAccount(greedy, "EUR") + "/events";
    for (int i = 0; i < properties.subscribersPerUserMax(); i++) {
      open.add(listen(greedy, path));
    }

    EntityExchangeResult<byte[]> refused =
        http.get()
            .uri(path)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .headers(h -> h.setBearerAuth(greedy.token()))
            .exchange()
            .expectBody()
            .returnResult();

    JsonNode problem = assertProblem(refused, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo(LiveController.STREAMS_PER_USER);
    assertThat(refused.getResponseHeaders().getFirst("Retry-After"))
        .satisfies(
            seconds ->
                assertThat(Long.parseLong(seconds))
                    .isBetween(
                        properties.retryAfterSeconds(),
                        properties.retryAfterSeconds() + properties.retryAfterJitterSeconds()));
    User other = client.newCustomer();
    users.add(other.id());
    open.add(listen(other, "/api/v1/accounts/" + client.openAccount(other, "EUR") + "/events"));
  }

  @Test
  void aClosedStreamGivesItsSlotBack() {
    User user = client.newCustomer();
    users.add(user.id());
    String path = "/api/v1/accounts/" + client.openAccount(user, "EUR") + "/events";
    for (int i = 0; i < properties.subscribersPerUserMax(); i++) {
      open.add(listen(user, path));
    }

    open.remove(0).dispose();

    // The server learns of the closed connection asynchronously: retry until it has.
    Eventually.await(
        LiveStatusIntegrationTest.STREAM_TIMEOUT,
        "a stream slot given back",
        () -> status(user, path) == HttpStatus.OK.value());
  }

  @Test
  void anOpsUserIsCappedPerUserToo() {
    User ops = client.ops();
    users.add(UUID.fromString(client.get(ops, "/api/v1/me").get("userId").asString()));
    for (int i = 0; i < properties.subscribersPerUserMax(); i++) {
      open.add(listen(ops, "/api/v1/ops/events"));
    }

    assertThat(status(ops, "/api/v1/ops/events")).isEqualTo(HttpStatus.TOO_MANY_REQUESTS.value());
  }

  /** Opens a stream on a connection of its own and returns once its opening comment arrived. */
  private Disposable listen(User user, String path) {
    AtomicBoolean opened = new AtomicBoolean();
    Disposable stream =
        unpooled()
            .get()
            .uri(path)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .headers(h -> h.setBearerAuth(user.token()))
            .retrieve()
            .bodyToFlux(SSE)
            .subscribe(event -> opened.set(true), error -> {});
    Eventually.await(
        LiveStatusIntegrationTest.STREAM_TIMEOUT, "the opening comment of " + path, opened::get);
    return stream;
  }

  /** The status a new stream gets; an opened stream is closed after its opening comment. */
  private int status(User user, String path) {
    return unpooled()
        .get()
        .uri(path)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(h -> h.setBearerAuth(user.token()))
        .retrieve()
        .bodyToFlux(SSE)
        .take(1)
        .then(Mono.just(HttpStatus.OK.value()))
        .onErrorResume(
            WebClientResponseException.class, refused -> Mono.just(refused.getStatusCode().value()))
        .block(LiveStatusIntegrationTest.STREAM_TIMEOUT);
  }

  /** One connection per stream: the shared pool would queue streams past its size. */
  private WebClient unpooled() {
    return WebClient.builder()
        .baseUrl("http://localhost:" + port)
        .clientConnector(new ReactorClientHttpConnector(HttpClient.newConnection()))
        .build();
  }
}
