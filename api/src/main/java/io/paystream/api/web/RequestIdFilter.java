package io.paystream.api.web;

import io.paystream.domain.Ids;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Every response carries {@code X-Request-Id}: the client's, when it sent a sane one, else a new
 * id. Set before anything else runs so that error responses written by security carry it too, and
 * put into the Reactor context with the trace id of a valid W3C {@code traceparent}, so that every
 * log line of the request carries both ({@link LogContext}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

  public static final String HEADER = "X-Request-Id";
  public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";
  static final String TRACEPARENT = "traceparent";

  /** Echo only what cannot smuggle anything into logs or headers. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** W3C Trace Context: version, trace id, parent id, flags; lower-case hex only. */
  private static final Pattern TRACE_PARENT =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

  private static final String INVALID_TRACE_ID = "0".repeat(32);

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String sent = exchange.getRequest().getHeaders().getFirst(HEADER);
    String id = sent != null && SAFE.matcher(sent).matches() ? sent : Ids.newId().toString();
    exchange.getAttributes().put(ATTRIBUTE, id);
    exchange.getResponse().getHeaders().set(HEADER, id);
    String traceId = traceId(exchange.getRequest().getHeaders().getFirst(TRACEPARENT));
    Context logged =
        traceId == null
            ? Context.of(LogContext.REQUEST_ID, id)
            : Context.of(LogContext.REQUEST_ID, id, LogContext.TRACE_ID, traceId);
    return chain.filter(exchange).contextWrite(logged);
  }

  /** The trace id of a well-formed {@code traceparent}, else null (never logged as sent). */
  static String traceId(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    Matcher parsed = TRACE_PARENT.matcher(traceparent.trim());
    return parsed.matches() && !parsed.group(1).equals(INVALID_TRACE_ID) ? parsed.group(1) : null;
  }
}
