package io.paystream.api.web;

import io.micrometer.context.ContextRegistry;
import java.util.List;
import org.slf4j.MDC;

/**
 * The request's identity in every log line written on its behalf: {@code requestId} (the {@code
 * X-Request-Id} answered), {@code userId} (once the bearer token is verified) and {@code traceId}
 * (the current span's, which continues the W3C {@code traceparent} the client sent). Structured
 * logs carry them as fields.
 *
 * <p>WebFlux runs a request on whichever thread delivers its next signal (event loops, the database
 * driver's, the password hashing scheduler), so the values live in the Reactor context and
 * Micrometer context propagation (spring.reactor.context-propagation=auto) copies them into the MDC
 * of the thread at hand: {@link #KEYS} are the keys it knows. The trace id is not one of them: the
 * tracer puts {@code traceId} and {@code spanId} there itself whenever it makes a span current,
 * which the same propagation does for the request's server span.
 *
 * <p>Nothing secret may become one of these values: ids only.
 */
public final class LogContext {

  public static final String REQUEST_ID = "requestId";
  public static final String USER_ID = "userId";

  /** The name Micrometer Tracing gives the trace id in the MDC. */
  public static final String TRACE_ID = "traceId";

  static final List<String> KEYS = List.of(REQUEST_ID, USER_ID);

  private LogContext() {}

  /** Teaches context propagation the MDC keys; repeating it (a second context) changes nothing. */
  public static void register(ContextRegistry registry) {
    for (String key : KEYS) {
      registry.registerThreadLocalAccessor(
          key, () -> MDC.get(key), value -> MDC.put(key, value), () -> MDC.remove(key));
    }
  }
}
