package io.paystream.api.web;

import io.paystream.domain.Ids;
import io.paystream.messaging.tracing.SagaTracing;
import io.paystream.persistence.outbox.TraceParents;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every response carries {@code X-Request-Id}: the client's, when it sent a sane one, else a new
 * id. Set before anything else runs so that error responses written by security carry it too, and
 * put into the Reactor context, so that every log line of the request carries it ({@link
 * LogContext}).
 *
 * <p>The request's trace is the tracer's: its server span (started around every filter, a child of
 * the client's W3C {@code traceparent} when one came) is answered in a {@code traceparent} header,
 * so a client learns the trace id to look for in the logs even when it sent none, and names the
 * trace the request's outbox rows continue ({@link TraceParents}, docs/architecture.md "Tracing").
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

  public static final String HEADER = "X-Request-Id";
  public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

  /** The server span's traceparent, for lines written outside the request's context. */
  public static final String TRACE_PARENT_ATTRIBUTE = RequestIdFilter.class.getName() + ".trace";

  static final String TRACEPARENT = SagaTracing.TRACEPARENT;

  /** Echo only what cannot smuggle anything into logs or headers. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String sent = exchange.getRequest().getHeaders().getFirst(HEADER);
    String id = sent != null && SAFE.matcher(sent).matches() ? sent : Ids.newId().toString();
    exchange.getAttributes().put(ATTRIBUTE, id);
    exchange.getResponse().getHeaders().set(HEADER, id);
    return Mono.deferContextual(
        context -> {
          String traceParent = SagaTracing.traceParent(context);
          if (traceParent != null) {
            exchange.getAttributes().put(TRACE_PARENT_ATTRIBUTE, traceParent);
            exchange.getResponse().getHeaders().set(TRACEPARENT, traceParent);
          }
          return chain
              .filter(exchange)
              .contextWrite(
                  logged -> TraceParents.all(logged.put(LogContext.REQUEST_ID, id), traceParent));
        });
  }

  /** The trace id of a traceparent (its second field), null for none. */
  public static String traceId(String traceParent) {
    return traceParent == null ? null : traceParent.substring(3, 35);
  }
}
