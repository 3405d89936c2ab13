package io.paystream.api.live;

import io.paystream.persistence.events.EventLogRow;
import java.time.Duration;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * How event-log rows travel as server-sent events: an opening comment at once (without a first
 * write the response headers never leave the server, DESIGN.md) once the rows are subscribed, then
 * one SSE event per row ({@code id:} the log position, {@code event:} the contract's name, {@code
 * data:} the resource JSON), and a heartbeat comment every {@code heartbeat} while the stream is
 * open. The stream ends when the rows end.
 */
final class SseFrames {

  static final String OPENING_COMMENT = "stream open";
  static final String HEARTBEAT_COMMENT = "heartbeat";

  private SseFrames() {}

  static Flux<ServerSentEvent<String>> frame(
      Flux<EventLogRow> rows, Duration heartbeat, Duration reconnect, Scheduler scheduler) {
    ServerSentEvent<String> opening =
        ServerSentEvent.<String>builder().comment(OPENING_COMMENT).retry(reconnect).build();
    // Prefetch 1: the subscriber's bounded buffer is upstream (EventFeed); the default 256 here
    // would preallocate a second, unbounded-in-effect queue per stream (1.4 KB each).
    Flux<ServerSentEvent<String>> body =
        rows.publish(
            shared ->
                Flux.merge(
                    shared.map(SseFrames::event),
                    Flux.interval(heartbeat, heartbeat, scheduler)
                        .map(
                            tick ->
                                ServerSentEvent.<String>builder()
                                    .comment(HEARTBEAT_COMMENT)
                                    .build())
                        .takeUntilOther(shared.then(Mono.just(true)))),
            1);
    // The rows are subscribed before the opening comment goes out, so a client that has seen the
    // comment knows the server already holds its live subscription. The sources are
    // asynchronous (a database replay, the live feed), so the comment still comes first.
    return Flux.merge(body, Mono.just(opening));
  }

  static ServerSentEvent<String> event(EventLogRow row) {
    return ServerSentEvent.builder(row.data())
        .id(Long.toString(row.seq()))
        .event(row.type())
        .build();
  }
}
