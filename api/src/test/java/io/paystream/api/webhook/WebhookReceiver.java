package io.paystream.api.webhook;

import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real HTTP receiver for webhooks on a loopback port. Each path answers 200, except that {@link
 * #failFirst} makes a path answer 500 a number of times first, and {@link #alwaysFail} makes it
 * answer 500 forever. Records every request: path, signature header, raw body.
 */
final class WebhookReceiver implements AutoCloseable {

  record Received(String path, String signature, String eventId, String body) {}

  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final DisposableServer server;

  WebhookReceiver() {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asString()
                        .defaultIfEmpty("")
                        .flatMap(
                            body -> {
                              // Reactor Netty's path() has no leading slash.
                              String path =
                                  request.path().startsWith("/")
                                      ? request.path()
                                      : "/" + request.path();
                              received.add(
                                  new Received(
                                      path,
                                      request.requestHeaders().get("Paystream-Signature"),
                                      request.requestHeaders().get("Paystream-Event-Id"),
                                      body));
                              AtomicInteger left = failuresLeft.get(path);
                              boolean fail =
                                  left != null && left.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0;
                              return response.status(fail ? 500 : 200).send().then();
                            }))
            .bindNow();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + "/" + path;
  }

  void failFirst(String path, int times) {
    failuresLeft.put("/" + path, new AtomicInteger(times));
  }

  void alwaysFail(String path) {
    failuresLeft.put("/" + path, new AtomicInteger(-1));
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals("/" + path)).toList();
  }

  /** Waits until requests to {@code path} satisfy {@code condition}; returns them. */
  List<Received> await(String path, Predicate<List<Received>> condition, Duration timeout) {
    return Eventually.await(timeout, "requests to /" + path, () -> at(path), condition);
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
