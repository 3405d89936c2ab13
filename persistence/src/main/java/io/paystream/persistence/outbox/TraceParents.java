package io.paystream.persistence.outbox;

import io.paystream.domain.MoneyEvent;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Which trace each outbox row continues: the W3C {@code traceparent} of the span that caused the
 * event, or null for none. {@link OutboxStore#appendAll} looks it up in the Reactor context of the
 * write, so that the stores in between (which write events for several requests in one transaction)
 * need no trace parameter; the relay sends it on as the Kafka record's header.
 *
 * <p>Persistence knows nothing of tracers: a value here is only text, formatted and parsed in
 * {@code messaging}'s tracing package. Absent (tracing off), rows carry none and nothing is spent.
 */
@FunctionalInterface
public interface TraceParents {

  /** Rows written without a trace. */
  TraceParents NONE = event -> null;

  /** The traceparent the row of {@code event} carries; null for none. */
  String of(MoneyEvent event);

  /** Every event written in {@code context} continues {@code traceParent} (one request). */
  static Context all(Context context, String traceParent) {
    return traceParent == null ? context : context.put(TraceParents.class, all(traceParent));
  }

  /** Every event continues {@code traceParent}. */
  static TraceParents all(String traceParent) {
    return event -> traceParent;
  }

  /**
   * Each event continues the trace of the resource it is about ({@link MoneyEvent#resourceId()}): a
   * group-commit batch, each request with its own trace ({@link ByRequest#forEvents}).
   */
  static Context byResource(Context context, Map<UUID, String> traceParents) {
    return traceParents.isEmpty()
        ? context
        : context.put(TraceParents.class, (TraceParents) e -> traceParents.get(e.resourceId()));
  }

  /** What {@code context} says, {@link #NONE} when it says nothing. */
  static TraceParents in(ContextView context) {
    return context.getOrDefault(TraceParents.class, NONE);
  }

  /**
   * The traces of a batch's requests, by the request object itself (identity, not equality: two
   * equal requests in one batch are still two traces). A store that turns requests into events
   * translates it with {@link #forEvents}, since only it knows which event came of which request.
   */
  final class ByRequest {
    private final IdentityHashMap<Object, String> traceParents;

    public ByRequest(IdentityHashMap<Object, String> traceParents) {
      this.traceParents = traceParents;
    }

    /** Puts {@code traceParents} into {@code context} for {@link #forEvents}. */
    public static Context put(Context context, IdentityHashMap<Object, String> traceParents) {
      return traceParents.isEmpty()
          ? context
          : context.put(ByRequest.class, new ByRequest(traceParents));
    }

    /**
     * The context in which {@code events} are written, {@code events.get(i)} caused by {@code
     * requests.get(i)}: each event continues its request's trace, if {@code context} names one.
     */
    public static Context forEvents(
        Context context, List<?> requests, List<? extends MoneyEvent> events) {
      ByRequest byRequest = context.getOrDefault(ByRequest.class, null);
      if (byRequest == null) {
        return context;
      }
      Map<UUID, String> byResource = new HashMap<>();
      for (int i = 0; i < events.size(); i++) {
        String traceParent = byRequest.traceParents.get(requests.get(i));
        if (traceParent != null) {
          byResource.put(events.get(i).resourceId(), traceParent);
        }
      }
      return byResource(context, byResource);
    }
  }
}
