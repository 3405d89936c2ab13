package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paystream.persistence.testing.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * What an open stream keeps of the request that opened it, on a real Reactor Netty server: the
 * stream is served, and of the request's headers only {@code Connection} stays (Reactor Netty's
 * keep-alive reads it), so no open stream holds its client's bearer token.
 */
class StreamHandoverTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private StreamHandover handover;
  private final AtomicReference<HttpServerRequest> opened = new AtomicReference<>();
  private final AtomicReference<Boolean> handed = new AtomicReference<>();
  private final AtomicInteger released = new AtomicInteger();
  private DisposableServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.disposeNow();
    }
  }

  @Test
  void anOpenStreamKeepsNoneOfItsRequestsHeadersButConnection() throws IOException {
    startServer(32, this::handStream);

    try (Socket client = open()) {
      String received = readUntil(client.getInputStream(), ":stream open\n\n");

      assertThat(received).startsWith("HTTP/1.1 200 OK").contains("text/event-stream");
      assertThat(handed.get()).isTrue();
      Eventually.await(
          WAIT,
          "the request's headers let go but Connection",
          () ->
              opened.get().requestHeaders().names().stream()
                  .map(name -> name.toLowerCase(Locale.ROOT))
                  .toList(),
          names -> names.equals(List.of("connection")));
      assertThat(opened.get().requestHeaders().get("Connection")).isEqualTo("keep-alive");
      assertThat(released).hasValue(0);
    }
    Eventually.await(WAIT, "the slot given back once the client went", () -> released.get() == 1);
  }

  @Test
  void withEveryPlaceTakenAStreamRequestWaitsForOneToBeAnsweredBeforeAnyOfItsWorkIsDone()
      throws IOException {
    Sinks.Empty<Void> firstMayAnswer = Sinks.empty();
    AtomicInteger reached = new AtomicInteger();
    startServer(
        1,
        exchange ->
            reached.incrementAndGet() == 1
                ? firstMayAnswer.asMono().then(handStream(exchange))
                : handStream(exchange));

    try (Socket first = open()) {
      Eventually.await(WAIT, "the first request in the controller", () -> reached.get() == 1);
      try (Socket second = open()) {
        Eventually.await(WAIT, "the second request waiting", () -> handover.waitingOpenings() == 1);
        assertThat(reached).as("the second request's work not begun").hasValue(1);

        firstMayAnswer.tryEmitEmpty();

        assertThat(readUntil(first.getInputStream(), ":stream open\n\n")).contains("200 OK");
        assertThat(readUntil(second.getInputStream(), ":stream open\n\n")).contains("200 OK");
        assertThat(reached).hasValue(2);
        assertThat(handover.waitingOpenings()).isZero();
      }
    }
    Eventually.await(WAIT, "both slots given back", () -> released.get() == 2);
  }

  /** What LiveController does on success: it hands a prepared stream over, and completes. */
  private Mono<Void> handStream(ServerWebExchange exchange) {
    return Mono.fromRunnable(
        () -> {
          opened.set(ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()));
          LiveStream stream =
              new LiveStream(
                  Flux.never(),
                  row -> {},
                  released::incrementAndGet,
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(2));
          exchange.getResponse().getHeaders().setContentType(LiveController.EVENT_STREAM);
          handed.set(handover.hand(exchange, stream));
        });
  }

  /** A stream request with a credential and other headers, written on a new connection. */
  private Socket open() throws IOException {
    Socket client = new Socket("127.0.0.1", server.port());
    client.setSoTimeout((int) WAIT.toMillis());
    client
        .getOutputStream()
        .write(
            ("GET /api/v1/accounts/42/events HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Authorization: Bearer the-clients-access-token\r\n"
                    + "Connection: keep-alive\r\n"
                    + "X-Request-Id: 0f6c2b4e\r\n"
                    + "Accept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return client;
  }

  /** A server whose only handler is {@code controller}, behind the handover. */
  private void startServer(int openingsMax, WebHandler controller) {
    handover =
        new StreamHandover(
            new LiveProperties(10, 10_000, 20, 5, 10, 2_000, openingsMax),
            new SimpleMeterRegistry());
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                new ReactorHttpHandlerAdapter(
                    handover.decorate(
                        // Codecs made here: their first use reads a file, which BlockHound
                        // refuses on an event loop.
                        WebHttpHandlerBuilder.webHandler(controller)
                            .codecConfigurer(ServerCodecConfigurer.create())
                            .build())))
            .bindNow(WAIT);
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    StringBuilder received = new StringBuilder();
    while (received.indexOf(end) < 0) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      received.append((char) next);
    }
    return received.toString();
  }
}
