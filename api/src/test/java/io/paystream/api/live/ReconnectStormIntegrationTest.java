package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A reconnect storm at a small scale: every stream of the instance dropped at once while transfers
 * flow, then all resumed with their Last-Event-ID. Across the drop, each stream gets every event of
 * its account exactly once and in order: no gap at the seam, no duplicate.
 */
class ReconnectStormIntegrationTest extends ApiIntegrationTest {

  private static final int USERS = 10;
  private static final int TRANSFERS = 120;
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired private LiveProperties properties;
  @Autowired private LiveSubscribers subscribers;

  /** One stream of one account: what it received, over as many connections as it took. */
  private record Stream(User owner, UUID account, List<ServerSentEvent<String>> received) {

    String lastId() {
      synchronized (received) {
        return received.isEmpty() ? "0" : received.get(received.size() - 1).id();
      }
    }

    List<ServerSentEvent<String>> snapshot() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }
  }

  /** A transfer that was accepted, with the accounts whose streams must carry its events. */
  private record Sent(String id, UUID from, UUID to) {}

  @Test
  void everyStreamGetsEveryEventOnceAndInOrderAcrossADropOfAllStreams() {
    int perUser = properties.subscribersPerUserMax();
    List<Stream> streams = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      User user = client.newCustomer();
      for (int a = 0; a < perUser; a++) {
        UUID account = client.openAccount(user, "EUR");
        client.deposit(user, account, 1_000_000, "EUR");
        streams.add(new Stream(user, account, Collections.synchronizedList(new ArrayList<>())));
      }
    }
    // Every stream from the start of its account's history: its deposit, then live events.
    List<Disposable> open = connect(streams);

    // Transfers between random accounts of the instance's streams, the drop in their middle.
    Random random = new Random(24);
    List<String[]> plan = new ArrayList<>();
    for (int i = 0; i < TRANSFERS; i++) {
      Stream from = streams.get(random.nextInt(streams.size()));
      Stream to = streams.get(random.nextInt(streams.size()));
      while (to == from) {
        to = streams.get(random.nextInt(streams.size()));
      }
      plan.add(
          new String[] {
            from.account().toString(),
            to.account().toString(),
            from.owner().token(),
            UUID.randomUUID().toString()
          });
    }
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();
    List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger accepted = new AtomicInteger();
    Disposable load =
        Flux.fromIterable(plan)
            .delayElements(Duration.ofMillis(25))
            .flatMap(
                transfer ->
                    web.post()
                        .uri("/api/v1/transfers")
                        .headers(h -> h.setBearerAuth(transfer[2]))
                        .header("Idempotency-Key", transfer[3])
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                            "{\"fromAccountId\": \"%s\", \"toAccountId\": \"%s\", \"amount\": 1, \"currency\": \"EUR\"}"
                                .formatted(transfer[0], transfer[1]))
                        .retrieve()
                        .bodyToMono(String.class)
                        .doOnNext(
                            body -> {
                              sent.add(
                                  new Sent(
                                      JSON.readTree(body).get("id").asString(),
                                      UUID.fromString(transfer[0]),
                                      UUID.fromString(transfer[1])));
                              accepted.incrementAndGet();
                            }),
                8)
            .subscribe();
    try {
      Eventually.await(SETTLE, "a third of the transfers accepted", () -> accepted.get() >= 40);

      // The drop: every connection at once, while transfers go on.
      open.forEach(Disposable::dispose);
      for (Stream stream : streams) {
        Eventually.await(
            LiveStatusIntegrationTest.STREAM_TIMEOUT,
            "the dropped streams of " + stream.owner().id() + " released",
            () -> subscribers.active(stream.owner().id()) == 0);
      }
      // The storm: all of them back at once, each from the last event it saw.
      open = connect(streams);

      Eventually.await(SETTLE, "every transfer accepted", () -> accepted.get() == TRANSFERS);
      for (Sent transfer : List.copyOf(sent)) {
        client.awaitTerminal(
            streams.stream()
                .filter(s -> s.account().equals(transfer.from()))
                .findFirst()
                .orElseThrow()
                .owner(),
            UUID.fromString(transfer.id()),
            SETTLE);
      }
      Map<UUID, List<String>> expected = expected(streams, List.copyOf(sent));
      Eventually.await(
          SETTLE,
          "every stream to receive all its events",
          () ->
              streams.stream()
                  .allMatch(s -> s.snapshot().size() >= expected.get(s.account()).size()));
      // Anything doubled would arrive right behind the rest.
      Thread.sleep(1_000);

      for (Stream stream : streams) {
        List<ServerSentEvent<String>> received = stream.snapshot();
        long previous = 0;
        for (ServerSentEvent<String> event : received) {
          long id = Long.parseLong(event.id());
          assertThat(id)
              .as("ids of %s's stream in order, no repeat", stream.account())
              .isGreaterThan(previous);
          previous = id;
        }
        assertThat(describe(received))
            .as("events of account %s", stream.account())
            .containsExactlyInAnyOrderElementsOf(expected.get(stream.account()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      load.dispose();
      open.forEach(Disposable::dispose);
    }
  }

  /** Opens every stream from its last seen event, and returns once all are open on the server. */
  private List<Disposable> connect(List<Stream> streams) {
    List<Disposable> open = new ArrayList<>();
    for (Stream stream : streams) {
      open.add(
          LiveStatusIntegrationTest.listen(
              port,
              stream.owner(),
              "/api/v1/accounts/" + stream.account() + "/events",
              stream.lastId(),
              stream.received()));
    }
    return open;
  }

  /** What each account's stream must carry: its deposit, and both events of each transfer. */
  private static Map<UUID, List<String>> expected(List<Stream> streams, List<Sent> sent) {
    Map<UUID, List<String>> expected = new HashMap<>();
    for (Stream stream : streams) {
      expected.put(stream.account(), new ArrayList<>(List.of("deposit.completed")));
    }
    for (Sent transfer : sent) {
      for (UUID account : List.of(transfer.from(), transfer.to())) {
        expected.get(account).add("transfer.pending " + transfer.id());
        expected.get(account).add("transfer.completed " + transfer.id());
      }
    }
    return expected;
  }

  /** Each event as "type id" (a deposit as its type alone: its id is not needed here). */
  private static List<String> describe(List<ServerSentEvent<String>> events) {
    List<String> described = new ArrayList<>();
    for (ServerSentEvent<String> event : events) {
      JsonNode data = JSON.readTree(event.data());
      described.add(
          "deposit.completed".equals(event.event())
              ? event.event()
              : event.event() + " " + data.get("id").asString());
    }
    return described;
  }
}
