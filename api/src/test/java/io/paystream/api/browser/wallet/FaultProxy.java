package io.paystream.api.browser.wallet;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A test-only HTTP proxy in front of the API, so the browser loads the wallet same-origin through
 * it, and a test can lose the answers of {@code POST /api/v1/transfers}: while {@link
 * #dropTransferAnswers} is on, such a request reaches the API, the proxy waits for the API's whole
 * answer (so the transfer is accepted and the money moved) and then closes the browser's connection
 * without a byte: exactly a response lost on the way back. Everything else, event streams included,
 * is passed through as it comes. Non-blocking throughout (BlockHound watches).
 */
final class FaultProxy implements AutoCloseable {

  static final String TRANSFERS = "/api/v1/transfers";
  static final String LOGIN = "/api/v1/auth/login";

  /** What the API says for an expired token, as far as the page can tell. */
  private static final String EXPIRED =
      "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
          + "\"code\":\"unauthorized\",\"detail\":\"the access token has expired\"}";

  /**
   * Headers that describe one hop's connection, not the message: each hop sets its own. Host is
   * passed on, so the API sees the browser's origin as its own (same-origin, as in production
   * behind a proxy), not as a foreign one that CORS would refuse.
   */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "proxy-connection");

  private final HttpClient upstream;
  private final DisposableServer server;
  private final AtomicBoolean dropping = new AtomicBoolean();
  private final List<String> transferKeys = new CopyOnWriteArrayList<>();
  private final List<String> droppedKeys = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> loginAnswers = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> refused = new AtomicReference<>();

  FaultProxy(int apiPort) {
    upstream =
        HttpClient.create()
            .baseUrl("http://localhost:" + apiPort)
            .responseTimeout(Duration.ofSeconds(60));
    server = HttpServer.create().host("localhost").port(0).handle(this::forward).bindNow();
  }

  int port() {
    return server.port();
  }

  /** While on, every answer to POST /api/v1/transfers is lost after the API has given it. */
  void dropTransferAnswers(boolean on) {
    dropping.set(on);
  }

  /** The Idempotency-Key of every POST /api/v1/transfers that reached the API, in order. */
  List<String> transferKeys() {
    return List.copyOf(transferKeys);
  }

  /** The keys of the requests whose answers were lost. */
  List<String> droppedKeys() {
    return List.copyOf(droppedKeys);
  }

  /** The next GET of {@code path} is answered 401 by the proxy itself. */
  void refuseNextRead(String path) {
    refused.set(path);
  }

  /** Every request the browser made through the proxy, as "METHOD /path", in order. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** The bodies of the API's answers to log-ins (tokens), in order. */
  List<String> loginAnswers() {
    return List.copyOf(loginAnswers);
  }

  private Mono<Void> forward(HttpServerRequest request, HttpServerResponse response) {
    String path = request.fullPath();
    requests.add(request.method().name() + " " + path);
    String refusing = refused.get(); // compareAndSet compares identity: take the held instance
    if (request.method().equals(HttpMethod.GET)
        && path.equals(refusing)
        && refused.compareAndSet(refusing, null)) {
      return response
          .status(401)
          .header("WWW-Authenticate", "Bearer")
          .header("Content-Type", "application/problem+json")
          .sendString(Mono.just(EXPIRED))
          .then();
    }
    boolean login = request.method().equals(HttpMethod.POST) && path.equals(LOGIN);
    boolean transfer = request.method().equals(HttpMethod.POST) && path.equals(TRANSFERS);
    String key = request.requestHeaders().get("Idempotency-Key");
    if (transfer) {
      transferKeys.add(key);
    }
    boolean drop = transfer && dropping.get();
    boolean hasBody =
        !request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD);
    HttpClient.RequestSender sender =
        upstream
            .headers(headers -> copy(request.requestHeaders(), headers))
            .request(request.method())
            .uri(request.uri());
    HttpClient.ResponseReceiver<?> receiver =
        hasBody ? sender.send(request.receive().retain()) : sender;
    return receiver
        .response(
            (answer, body) -> {
              if (drop) {
                droppedKeys.add(key);
                return body.aggregate()
                    .then(
                        Mono.<Void>fromRunnable(
                            () -> response.withConnection(Connection::dispose)));
              }
              response.status(answer.status());
              copy(answer.responseHeaders(), response.responseHeaders());
              if (login) {
                return body.aggregate()
                    .asString()
                    .flatMap(
                        text -> {
                          loginAnswers.add(text);
                          return response.sendString(Mono.just(text)).then();
                        });
              }
              return response.send(body.retain()).then();
            })
        .then();
  }

  private static void copy(HttpHeaders from, HttpHeaders to) {
    from.forEach(
        header -> {
          if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
            to.add(header.getKey(), header.getValue());
          }
        });
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }
}
