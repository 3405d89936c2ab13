package io.paystream.messaging.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.util.context.ContextView;

/**
 * One trace across the saga: the HTTP accept, the outbox row, the Kafka record, the credit leg, the
 * events it causes and their SSE delivery. Between the steps the trace travels as text, a W3C
 * {@code traceparent} ({@code 00-<trace id>-<parent span id>-<flags>}): in the outbox row's {@code
 * trace_parent} column, in the Kafka record's {@code traceparent} header, in the event log row.
 *
 * <p>Only a sampled trace gets spans here: an unsampled one (and the default samples 10%, see
 * README "Tracing") is passed on verbatim, so that log lines still share its trace id while no span
 * is built, timed or exported per record. Without a tracer (tracing switched off) nothing is
 * written at all.
 */
@Component
public class SagaTracing {

  /** The W3C Trace Context header, on Kafka records as on HTTP. */
  public static final String TRACEPARENT = "traceparent";

  /** Version 00, lower-case hex, a trace id and a span id that are not all zero, any flags. */
  private static final Pattern TRACE_PARENT =
      Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

  private static final int LENGTH = 55;

  private static final String INVALID_TRACE_ID = "0".repeat(32);

  private final Propagator propagator;

  /** The tracer's propagator (W3C), or none when tracing is switched off. */
  @Autowired
  public SagaTracing(ObjectProvider<Propagator> propagator) {
    this(propagator.getIfAvailable(() -> Propagator.NOOP));
  }

  private SagaTracing(Propagator propagator) {
    this.propagator = propagator;
  }

  /** Tracing switched off: traces are passed on as they came, no span is made. */
  public static SagaTracing off() {
    return new SagaTracing(Propagator.NOOP);
  }

  /**
   * The traceparent of the span of the observation running in {@code context} (the HTTP server
   * request's), null when there is none. Read from the Reactor context, not a thread local: it is
   * asked from operators that run on whichever thread.
   */
  public static String traceParent(ContextView context) {
    Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
    if (observation == null || observation.isNoop()) {
      return null;
    }
    TracingContext tracing = observation.getContextView().get(TracingContext.class);
    return tracing == null ? null : traceParent(tracing.getSpan());
  }

  /**
   * The W3C traceparent naming {@code span} as the parent; null for none, or for a span without a
   * valid context (tracing off). A span that is not recorded (its trace is not sampled, which the
   * bridge calls no-op) still has one: its trace id is what the response header, the logs and the
   * outbox row carry, sampled or not.
   */
  public static String traceParent(Span span) {
    if (span == null) {
      return null;
    }
    TraceContext context = span.context();
    // No pattern here (asked once per request): the tracer's ids are lower-case hex of the right
    // length; only the invalid (all-zero) context of a span that is not traced is refused.
    if (context.traceId().length() != 32 || INVALID_TRACE_ID.equals(context.traceId())) {
      return null;
    }
    String traceParent =
        "00-"
            + context.traceId()
            + "-"
            + context.spanId()
            + (Boolean.TRUE.equals(context.sampled()) ? "-01" : "-00");
    return traceParent.length() == LENGTH ? traceParent : null;
  }

  /** The trace id (32 hex digits) of a well-formed {@code traceParent}; null otherwise. */
  public static String traceId(String traceParent) {
    return valid(traceParent) ? traceParent.substring(3, 35) : null;
  }

  /** Whether {@code traceParent} is a well-formed W3C traceparent of version 00. */
  public static boolean valid(String traceParent) {
    return traceParent != null && TRACE_PARENT.matcher(traceParent).matches();
  }

  /**
   * Whether the trace {@code traceParent} continues is sampled (its flags' lowest bit). Cheap, no
   * pattern: asked per SSE frame, of values this application wrote or checked with {@link #valid}
   * (the propagator parses them again when a span is made).
   */
  static boolean sampled(String traceParent) {
    return traceParent != null
        && traceParent.length() == LENGTH
        && (Character.digit(traceParent.charAt(LENGTH - 1), 16) & 1) == 1;
  }

  /**
   * A new span {@code name} of {@code kind}, a child of the remote span {@code traceParent} names;
   * null (and no work) when there is no sampled trace to continue. The caller ends it.
   */
  public Span child(String traceParent, String name, Span.Kind kind) {
    if (!sampled(traceParent)) {
      return null;
    }
    return propagator
        .extract(traceParent, (carrier, key) -> TRACEPARENT.equals(key) ? carrier : null)
        .name(name)
        .kind(kind)
        .start();
  }

  /**
   * What a step passes on: the traceparent of its own span when it made one, else what it was given
   * (an unsampled trace, or none).
   */
  public static String passedOn(Span span, String given) {
    String own = traceParent(span);
    return own != null ? own : given;
  }

  /** The record's traceparent header, null when it has none or a malformed one. */
  public static String traceParent(Headers headers) {
    Header header = headers.lastHeader(TRACEPARENT);
    if (header == null || header.value() == null) {
      return null;
    }
    String value = new String(header.value(), StandardCharsets.US_ASCII);
    return valid(value) ? value : null;
  }

  /** Sets the record's traceparent header; nothing when {@code traceParent} is null. */
  public static void set(Headers headers, String traceParent) {
    if (traceParent != null) {
      headers.remove(TRACEPARENT);
      headers.add(TRACEPARENT, traceParent.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
