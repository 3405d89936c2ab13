package io.paystream.api.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.util.context.Context;

/**
 * Serves an open stream outside the WebFlux request that opened it. A stream request goes through
 * the whole chain like any other (security, request id, headers, rate limits, the controller's
 * checks), and every refusal is answered there; on success the controller hands its prepared {@link
 * LiveStream} over here instead of returning a body, and the request completes with its status and
 * headers set but unsent. Only then is the stream written to the connection: the filter chain, the
 * exchange and the security context are gone, and what an open stream keeps is its connection and
 * its subscription (docs/benchmarks, tenth pass).
 *
 * <p>Reactor Netty ends a response when its handler's {@code Mono} completes, so the handler
 * returned to it runs the request, then the stream.
 *
 * <p>At most {@code paystream.live.openings-max} stream requests go through the chain at once; the
 * others wait their turn first ({@link Openings}), so that a reconnect storm does not queue ahead
 * of every payment on the event loops.
 */
@Component
class StreamHandover implements WebHttpHandlerBuilderCustomizer {

  /** Stream requests being answered, by their Reactor Netty request, until they complete. */
  private final ConcurrentHashMap<HttpServerRequest, Answer> answering = new ConcurrentHashMap<>();

  private final Openings openings;

  StreamHandover(LiveProperties properties, MeterRegistry meters) {
    this.openings = new Openings(properties.openingsMax());
    Gauge.builder("paystream.live.openings.waiting", openings, Openings::waiting)
        .description("stream requests waiting for their turn (paystream.live.openings-max)")
        .register(meters);
  }

  @Override
  public void customize(WebHttpHandlerBuilder builder) {
    builder.httpHandlerDecorator(this::decorate);
  }

  HttpHandler decorate(HttpHandler handler) {
    return (request, response) ->
        LiveObservations.isStream(request)
            ? handle(handler, request, response)
            : handler.handle(request, response);
  }

  /** The request, then (if it prepared one) the stream, as one response. */
  private Mono<Void> handle(
      HttpHandler handler, ServerHttpRequest request, ServerHttpResponse response) {
    if (!(ServerHttpRequestDecorator.getNativeRequest(request)
            instanceof HttpServerRequest nettyRequest)
        || !(ServerHttpResponseDecorator.getNativeResponse(response)
            instanceof HttpServerResponse nettyResponse)
        || !(nettyResponse instanceof Connection connection)) {
      return handler.handle(request, response);
    }
    return Mono.create(
        new Answer(nettyRequest, nettyResponse, connection.channel(), handler, request, response));
  }

  /** Stream requests waiting for their turn now; for tests. */
  int waitingOpenings() {
    return openings.waiting();
  }

  /**
   * Takes {@code stream} for {@code exchange}'s connection, to be served once the request
   * completes. False when the request did not come through this handover (a HEAD, or a server other
   * than Reactor Netty) or is already over; the caller then gives the stream up.
   */
  boolean hand(ServerWebExchange exchange, LiveStream stream) {
    Object nettyRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
    Answer answer = nettyRequest == null ? null : answering.get(nettyRequest);
    return answer != null && answer.give(stream);
  }

  /**
   * One stream request on its way: answered by WebFlux, then streaming. Built by hand rather than
   * from operators, so that nothing of the finished request (its assembled filter chain, the
   * exchange) stays reachable from the open stream: what remains is this, the sink Reactor Netty
   * waits on, and the stream.
   */
  private final class Answer implements Consumer<MonoSink<Void>>, Openings.Opening {

    private final HttpServerRequest nettyRequest;
    private final HttpServerResponse nettyResponse;
    private final Channel channel;
    private final Disposable.Swap request = Disposables.swap();

    /** Kept by Spring's Reactor Netty adapter for the response's life, whatever this does. */
    private final ServerHttpRequest httpRequest;

    // Guarded by this. The WebFlux response is let go once the request has started: filters
    // leave commit actions on it that reach the whole exchange.
    private HttpHandler handler;
    private ServerHttpResponse httpResponse;
    private MonoSink<Void> sink;
    private LiveStream stream;
    private boolean inside;
    private boolean answered;
    private boolean closed;

    Answer(
        HttpServerRequest nettyRequest,
        HttpServerResponse nettyResponse,
        Channel channel,
        HttpHandler handler,
        ServerHttpRequest httpRequest,
        ServerHttpResponse httpResponse) {
      this.nettyRequest = nettyRequest;
      this.nettyResponse = nettyResponse;
      this.channel = channel;
      this.handler = handler;
      this.httpRequest = httpRequest;
      this.httpResponse = httpResponse;
    }

    /** Reactor Netty subscribes once: the request waits for its turn. */
    @Override
    public void accept(MonoSink<Void> subscriber) {
      synchronized (this) {
        if (sink == null) {
          sink = subscriber;
          subscriber = null;
        }
      }
      if (subscriber != null) {
        subscriber.error(new IllegalStateException("a stream request is answered once"));
        return;
      }
      answering.put(nettyRequest, this);
      sink.onDispose(this::close);
      if (openings.arrive(this)) {
        synchronized (this) {
          inside = true;
        }
        start();
      }
    }

    /**
     * Its turn has come after waiting: the request goes through WebFlux as a task of its own on its
     * connection's event loop, never inside the signal of the request that gave its place up (whose
     * thread-locals are in scope there).
     */
    @Override
    public void enter() {
      synchronized (this) {
        inside = true;
      }
      channel.eventLoop().execute(this::start);
    }

    @Override
    public synchronized boolean isClosed() {
      return closed;
    }

    private void start() {
      HttpHandler webFlux;
      ServerHttpResponse startedResponse;
      MonoSink<Void> end;
      synchronized (this) {
        webFlux = closed ? null : handler;
        startedResponse = httpResponse;
        handler = null;
        httpResponse = null;
        end = sink;
      }
      if (webFlux == null) {
        // The client went while this was on its way to the event loop.
        leave();
        return;
      }
      request.replace(
          webFlux
              .handle(httpRequest, startedResponse)
              .subscribe(
                  null,
                  error -> {
                    leave();
                    end.error(error);
                  },
                  this::answered,
                  Context.of(end.contextView())));
    }

    /** This request's place among the openings is given up, once. */
    private void leave() {
      synchronized (this) {
        if (!inside) {
          return;
        }
        inside = false;
      }
      openings.leave();
    }

    synchronized boolean give(LiveStream prepared) {
      if (answered || closed || stream != null) {
        return false;
      }
      stream = prepared;
      return true;
    }

    /** WebFlux has answered: its status and headers are set on the response, nothing is sent. */
    private void answered() {
      leave();
      LiveStream prepared;
      MonoSink<Void> end;
      synchronized (this) {
        answered = true;
        prepared = stream;
        end = sink;
      }
      answering.remove(nettyRequest);
      if (httpRequest instanceof AbstractServerHttpRequest answeredRequest) {
        // The exchange hands the request a way to its attributes (and through them to the whole
        // exchange); the request outlives the exchange here, for as long as the stream is open.
        answeredRequest.setAttributesSupplier(Map::of);
      }
      if (prepared == null) {
        end.success();
      } else if (nettyResponse.status().codeClass() != HttpStatusClass.SUCCESS) {
        // Something after the controller failed the request: its answer stands, no stream.
        prepared.dispose();
        end.success();
      } else {
        // The request has been answered: the stream keeps none of its headers (its credential
        // least of all) but the one its connection's keep-alive is decided by.
        HttpHeaders requestHeaders = nettyRequest.requestHeaders();
        String connection = requestHeaders.get(HttpHeaderNames.CONNECTION);
        requestHeaders.clear();
        if (connection != null) {
          requestHeaders.set(HttpHeaderNames.CONNECTION, connection);
        }
        nettyResponse
            .sendHeaders()
            .then()
            .subscribe(
                null,
                end::error,
                () -> {
                  // Encoded and gone: nothing reads a streaming response's headers after this.
                  nettyResponse.responseHeaders().clear();
                  prepared.serve(channel, end);
                },
                Context.of(end.contextView()));
      }
    }

    /** The response is over, however it ended: the stream, if any, ends and gives back its slot. */
    private void close() {
      LiveStream prepared;
      synchronized (this) {
        closed = true;
        prepared = stream;
      }
      leave();
      request.dispose();
      answering.remove(nettyRequest);
      if (prepared != null) {
        prepared.dispose();
      }
    }
  }
}
