package io.paystream.tools.payoutsimulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A payout provider that is a real HTTP server, for local runs and tests. It behaves like the
 * providers Paystream must survive: answers late, fails with 5xx part of the time, sometimes takes
 * the money and then does not answer in time, and refuses some destinations for good.
 *
 * <p>Its HTTP API below is the provider's wire format, the one {@code PayoutProviderClient} in
 * messaging is written against. It is stated here and not shared as a type: the provider is an
 * outside party, and the tests that run the client against this server are what prove the two
 * agree.
 *
 * <ul>
 *   <li>{@code POST /payouts} {@code {"id", "amount", "currency", "destination"}}: 201 {@code
 *       {"id", "status": "PAID", "reference"}} the first time, 200 with the same body for any later
 *       request with that id (de-duplicated by id: a payout is executed at most once); 422 {@code
 *       {"id", "status": "REJECTED", "reason"}} for a refused destination (also remembered); 503
 *       when it "fails", which records nothing; 400 for a malformed order.
 *   <li>{@code GET /payouts/{id}}: 200 with the payout as above, or 404 if it never happened.
 *   <li>{@code GET /admin/payouts}: 200 {@code {"items": [{"id", "amount", "currency", "status",
 *       "reference" or "reason", "posts"}]}}, every payout made, ordered by id, where {@code posts}
 *       counts the POSTs for that id since this process started: what a fault run asks to learn
 *       what the provider paid.
 *   <li>{@code PUT /admin/behaviour} {@code {"latencyMillis", "failureRate", "timeoutRate",
 *       "rejectRate"}}: changes the behaviour at run time; {@code GET /health}: 200.
 * </ul>
 *
 * <p>A "timeout" records the payout first and then holds the answer for {@link
 * Behaviour#hangMillis}: the nastiest failure, where the caller cannot know the money left.
 *
 * <p>Payouts live in memory, and also in a {@link PayoutJournal} when one is given: then every
 * payout is on disk before anything about it is answered (a POST, a GET, the list), and a simulator
 * restarted on the same journal answers a repeated id 200 with the same body, as a real provider
 * that was killed mid-payout would. Without a journal a restart forgets everything.
 */
public final class PayoutProviderSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PayoutProviderSimulator.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * How the provider misbehaves; rates are probabilities per request, 0..1.
   *
   * @param latencyMillis added to every answer
   * @param failureRate share of POSTs answered 503 without recording anything
   * @param timeoutRate share of new payouts recorded and then answered only after {@code
   *     hangMillis}
   * @param rejectRate share of new payouts refused for good (422)
   * @param hangMillis how long a "timed-out" answer is held back
   */
  public record Behaviour(
      long latencyMillis,
      double failureRate,
      double timeoutRate,
      double rejectRate,
      long hangMillis) {

    public static final Behaviour HEALTHY = new Behaviour(0, 0, 0, 0, 30_000);

    public Behaviour {
      for (double rate : new double[] {failureRate, timeoutRate, rejectRate}) {
        if (rate < 0 || rate > 1) {
          throw new IllegalArgumentException("rates are between 0 and 1: " + rate);
        }
      }
      if (latencyMillis < 0 || hangMillis < 0) {
        throw new IllegalArgumentException("durations are not negative");
      }
    }
  }

  /** A payout as the provider keeps it. */
  public record Payout(
      UUID id,
      long amount,
      String currency,
      String destination,
      String status,
      String reference,
      String reason) {}

  /**
   * A payout and the moment it is on disk; nothing about it is answered before {@code durable}
   * completes, and if that fails the payout is taken back as if never made.
   */
  private record Recorded(Payout payout, CompletableFuture<Void> durable) {

    boolean isDurable() {
      return durable.isDone() && !durable.isCompletedExceptionally();
    }

    Mono<Payout> whenDurable() {
      // suppressCancel: a caller that leaves must not cancel the future other callers wait on.
      return Mono.fromFuture(durable, true).thenReturn(payout);
    }
  }

  private static final CompletableFuture<Void> IN_MEMORY = CompletableFuture.completedFuture(null);

  private final Map<UUID, Recorded> payouts = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> postsById = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> getsById = new ConcurrentHashMap<>();
  private final Set<String> refusedDestinations = ConcurrentHashMap.newKeySet();
  private final AtomicInteger posts = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger hangNext = new AtomicInteger();
  private final AtomicReference<Behaviour> behaviour;
  private final PayoutJournal journal;
  private final DisposableServer server;

  private PayoutProviderSimulator(String host, int port, Behaviour initial, PayoutJournal journal) {
    this.behaviour = new AtomicReference<>(initial);
    this.journal = journal;
    warmUpJson(initial);
    if (journal != null) {
      for (Payout payout : journal.replayed()) {
        if (payouts.putIfAbsent(payout.id(), new Recorded(payout, IN_MEMORY)) != null) {
          throw new IllegalStateException("payout " + payout.id() + " is twice in the journal");
        }
      }
    }
    this.server =
        HttpServer.create()
            .host(host)
            .port(port)
            .route(
                routes ->
                    routes
                        .post("/payouts", this::pay)
                        .get("/payouts/{id}", this::find)
                        .get("/admin/payouts", this::list)
                        .put("/admin/behaviour", this::changeBehaviour)
                        .get(
                            "/health", (request, response) -> response.sendString(Mono.just("ok"))))
            .bindNow();
  }

  /**
   * Jackson builds its (de)serializers on first use under a lock; several first requests at once
   * would wait for it on event loops (BlockHound saw it). Built here, before the server listens.
   */
  private static void warmUpJson(Behaviour initial) {
    JSON.readTree("{\"id\":\"x\",\"amount\":1}");
    JSON.writeValueAsString(
        Map.of("items", List.of(new LinkedHashMap<>(Map.of("id", "x", "amount", 1L)))));
    JSON.writeValueAsString(initial);
  }

  /** Starts on {@code port} (0: any free port) of {@code host}, keeping payouts in memory only. */
  public static PayoutProviderSimulator start(String host, int port, Behaviour behaviour) {
    return new PayoutProviderSimulator(host, port, behaviour, null);
  }

  /**
   * Starts as above, with the payouts already in the journal at {@code journal} (created if
   * missing) and every new one appended to it before it is answered.
   *
   * @throws java.io.UncheckedIOException if the journal cannot be opened
   * @throws IllegalStateException if the journal is damaged other than in its last line
   */
  public static PayoutProviderSimulator start(
      String host, int port, Behaviour behaviour, Path journal) {
    PayoutJournal opened = PayoutJournal.open(journal);
    try {
      return new PayoutProviderSimulator(host, port, behaviour, opened);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://" + server.host() + ":" + server.port();
  }

  public void behaviour(Behaviour next) {
    behaviour.set(next);
  }

  /** The next {@code count} POSTs answer 503 and record nothing. */
  public void failNext(int count) {
    failNext.set(count);
  }

  /** The next {@code count} new payouts are recorded, then answered only after the hang time. */
  public void hangNext(int count) {
    hangNext.set(count);
  }

  /** Every payout to {@code destination} (compact IBAN) is refused for good. */
  public void refuse(String destination) {
    refusedDestinations.add(destination);
  }

  /** The payout recorded for {@code id}, on disk yet or not; null if none. */
  public Payout payout(UUID id) {
    Recorded recorded = payouts.get(id);
    return recorded == null ? null : recorded.payout();
  }

  /** POSTs received for this id, whatever their answer. */
  public int posts(UUID id) {
    AtomicInteger count = postsById.get(id);
    return count == null ? 0 : count.get();
  }

  public int gets(UUID id) {
    AtomicInteger count = getsById.get(id);
    return count == null ? 0 : count.get();
  }

  /** Every POST received. */
  public int posts() {
    return posts.get();
  }

  private Mono<Void> pay(HttpServerRequest request, HttpServerResponse response) {
    return request
        .receive()
        .aggregate()
        .asString()
        .defaultIfEmpty("")
        .flatMap(
            body -> {
              Behaviour now = behaviour.get();
              JsonNode order;
              UUID id;
              try {
                order = JSON.readTree(body);
                id = UUID.fromString(order.get("id").asString());
                if (order.get("amount").asLong() < 1
                    || order.get("currency").asString().isEmpty()
                    || order.get("destination").asString().isEmpty()) {
                  throw new IllegalArgumentException("incomplete order");
                }
              } catch (RuntimeException e) {
                return answer(
                    response, 400, "{\"error\":\"malformed payout order\"}", now.latencyMillis());
              }
              posts.incrementAndGet();
              postsById.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
              if (takeOne(failNext) || chance(now.failureRate())) {
                return answer(
                    response, 503, "{\"error\":\"temporarily unavailable\"}", now.latencyMillis());
              }
              boolean[] created = new boolean[1];
              Recorded recorded;
              try {
                recorded =
                    payouts.computeIfAbsent(
                        id,
                        key -> {
                          created[0] = true;
                          Payout made = execute(key, order, now);
                          return new Recorded(made, record(made));
                        });
              } catch (RejectedExecutionException e) {
                log.warn("payout {} refused: the journal's queue is full", id);
                return unavailable(response, now);
              }
              return recorded
                  .whenDurable()
                  .flatMap(
                      payout -> {
                        int status =
                            "REJECTED".equals(payout.status()) ? 422 : created[0] ? 201 : 200;
                        long delay =
                            created[0] && (takeOne(hangNext) || chance(now.timeoutRate()))
                                ? now.hangMillis()
                                : now.latencyMillis();
                        return answer(
                            response, status, JSON.writeValueAsString(view(payout)), delay);
                      })
                  .onErrorResume(
                      error -> {
                        // Not on disk: taken back, so a retry makes it afresh and is journaled.
                        payouts.remove(id, recorded);
                        log.error("payout {} not journaled, answered 503", id, error);
                        return unavailable(response, now);
                      });
            });
  }

  private CompletableFuture<Void> record(Payout payout) {
    return journal == null ? IN_MEMORY : journal.append(payout);
  }

  private static Mono<Void> unavailable(HttpServerResponse response, Behaviour now) {
    return answer(response, 503, "{\"error\":\"temporarily unavailable\"}", now.latencyMillis());
  }

  private Payout execute(UUID id, JsonNode order, Behaviour now) {
    String destination = order.get("destination").asString();
    long amount = order.get("amount").asLong();
    String currency = order.get("currency").asString();
    if (refusedDestinations.contains(destination) || chance(now.rejectRate())) {
      return new Payout(
          id, amount, currency, destination, "REJECTED", null, "destination account closed");
    }
    log.info("payout {} executed: {} {}", id, amount, currency);
    return new Payout(id, amount, currency, destination, "PAID", reference(), null);
  }

  private Mono<Void> find(HttpServerRequest request, HttpServerResponse response) {
    Behaviour now = behaviour.get();
    UUID id;
    try {
      id = UUID.fromString(request.param("id"));
    } catch (RuntimeException e) {
      return answer(response, 404, "{\"error\":\"no such payout\"}", now.latencyMillis());
    }
    getsById.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
    Recorded recorded = payouts.get(id);
    Mono<Payout> durable = recorded == null ? Mono.empty() : recorded.whenDurable();
    return durable
        // A payout whose journal write failed was never made.
        .onErrorResume(error -> Mono.empty())
        .flatMap(
            payout ->
                answer(response, 200, JSON.writeValueAsString(view(payout)), now.latencyMillis()))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    answer(response, 404, "{\"error\":\"no such payout\"}", now.latencyMillis())));
  }

  /** Every payout on disk; one still being written is not made yet, as a GET would wait for it. */
  private Mono<Void> list(HttpServerRequest request, HttpServerResponse response) {
    List<Map<String, Object>> items =
        payouts.values().stream()
            .filter(Recorded::isDurable)
            .map(Recorded::payout)
            .sorted(Comparator.comparing(payout -> payout.id().toString()))
            .map(
                payout -> {
                  Map<String, Object> item = new LinkedHashMap<>();
                  item.put("id", payout.id().toString());
                  item.put("amount", payout.amount());
                  item.put("currency", payout.currency());
                  item.putAll(view(payout));
                  item.put("posts", posts(payout.id()));
                  return item;
                })
            .toList();
    return answer(response, 200, JSON.writeValueAsString(Map.of("items", items)), 0);
  }

  private Mono<Void> changeBehaviour(HttpServerRequest request, HttpServerResponse response) {
    return request
        .receive()
        .aggregate()
        .asString()
        .flatMap(
            body -> {
              Behaviour current = behaviour.get();
              try {
                JsonNode wanted = JSON.readTree(body);
                behaviour.set(
                    new Behaviour(
                        wanted.path("latencyMillis").asLong(current.latencyMillis()),
                        wanted.path("failureRate").asDouble(current.failureRate()),
                        wanted.path("timeoutRate").asDouble(current.timeoutRate()),
                        wanted.path("rejectRate").asDouble(current.rejectRate()),
                        wanted.path("hangMillis").asLong(current.hangMillis())));
              } catch (RuntimeException e) {
                return answer(response, 400, "{\"error\":\"malformed behaviour\"}", 0);
              }
              log.info("behaviour now {}", behaviour.get());
              return answer(response, 200, JSON.writeValueAsString(behaviour.get()), 0);
            });
  }

  private static Map<String, Object> view(Payout payout) {
    return "PAID".equals(payout.status())
        ? Map.of("id", payout.id().toString(), "status", "PAID", "reference", payout.reference())
        : Map.of("id", payout.id().toString(), "status", "REJECTED", "reason", payout.reason());
  }

  private static Mono<Void> answer(
      HttpServerResponse response, int status, String body, long delayMillis) {
    Mono<Void> send =
        Mono.defer(
            () ->
                response
                    .status(status)
                    .header("content-type", "application/json")
                    .sendString(Mono.just(body))
                    .then());
    return delayMillis == 0 ? send : Mono.delay(Duration.ofMillis(delayMillis)).then(send);
  }

  /**
   * The provider's own id for a payout, unrelated to ours. Not UUID.randomUUID(): its SecureRandom
   * reads /dev/urandom on the event loop. Nothing is secret here, so ThreadLocalRandom will do.
   */
  private static String reference() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "psim_" + new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  private static boolean chance(double rate) {
    return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
  }

  @Override
  public void close() {
    server.disposeNow();
    if (journal != null) {
      journal.close();
    }
  }

  /** Completes when the server has stopped, e.g. after {@link #close()}. */
  public Mono<Void> onClose() {
    return server.onDispose();
  }
}
