package io.paystream.api.observability;

import io.paystream.api.web.LogContext;
import io.paystream.api.web.RequestIdFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One line per request on logger {@code paystream.access} at DEBUG: method, path, status and
 * milliseconds, with the request, user and trace ids as fields. Off by default (the logger is at
 * INFO): at thousands of requests a second on two cores, a line per request costs real CPU, and the
 * metrics already count them. Switched on by LOGGING_LEVEL_PAYSTREAM_ACCESS=debug.
 *
 * <p>The path only, never the query: a statement download link carries its signature there.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4)
public class AccessLog implements WebFilter {

  static final String LOGGER = "paystream.access";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!log.isDebugEnabled()) {
      return chain.filter(exchange);
    }
    long started = System.nanoTime();
    return chain.filter(exchange).doFinally(signal -> write(exchange, started));
  }

  /**
   * Sets the MDC itself: the filter's end runs wherever the response completed, outside the server
   * span's scope, and the user id was learned further in (after security), in a context this filter
   * does not see.
   */
  private static void write(ServerWebExchange exchange, long started) {
    String requestId = exchange.getAttribute(RequestIdFilter.ATTRIBUTE);
    String userId = exchange.getAttribute(UserLogContextFilter.ATTRIBUTE);
    String traceId =
        RequestIdFilter.traceId(exchange.getAttribute(RequestIdFilter.TRACE_PARENT_ATTRIBUTE));
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    try (MDC.MDCCloseable request = MDC.putCloseable(LogContext.REQUEST_ID, requestId);
        MDC.MDCCloseable user =
            userId == null ? null : MDC.putCloseable(LogContext.USER_ID, userId);
        MDC.MDCCloseable trace =
            traceId == null ? null : MDC.putCloseable(LogContext.TRACE_ID, traceId)) {
      log.debug(
          "{} {} {} {} ms",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath().value(),
          status == null ? "-" : status.value(),
          (System.nanoTime() - started) / 1_000_000);
    }
  }
}
