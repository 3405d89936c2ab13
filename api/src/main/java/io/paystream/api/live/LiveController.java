package io.paystream.api.live;

import io.micrometer.tracing.Span;
import io.paystream.api.account.AccountAccess;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.domain.RejectedException;
import io.paystream.domain.Rejection;
import io.paystream.domain.Transfer;
import io.paystream.messaging.events.EventFeed;
import io.paystream.messaging.events.EventFeed.Replay;
import io.paystream.messaging.events.EventsProperties;
import io.paystream.messaging.events.Route;
import io.paystream.messaging.tracing.SagaTracing;
import io.paystream.persistence.events.EventLogRow;
import io.paystream.persistence.events.EventLogStore;
import io.paystream.persistence.transfer.TransferStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * CONTRACT.md, Live status: server-sent events for a transfer (a party's owner or OPS; ends after
 * the terminal event), an account (owner or OPS) and everything (OPS). A client reconnecting with
 * {@code Last-Event-ID} gets every later event of its stream from the log, then live ones.
 * Strangers get the same 404 as for an unknown id.
 */
@RestController
public class LiveController {

  static final String LAST_EVENT_ID = "Last-Event-ID";

  /** What Spring's server-sent-event writer answered with before streams were handed over. */
  static final MediaType EVENT_STREAM =
      new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);

  /** The {@code limit} named in the problem when a user's streams are at their cap. */
  static final String STREAMS_PER_USER = "streams_per_user";

  private final EventFeed feed;
  private final EventLogStore eventLog;
  private final TransferStore transfers;
  private final AccountAccess accounts;
  private final LiveSubscribers subscribers;
  private final LiveProperties properties;
  private final EventsProperties events;
  private final Clock clock;
  private final SagaTracing tracing;
  private final StreamHandover handover;
  private final Consumer<EventLogRow> delivered = this::traceDelivery;
  private final Duration heartbeat;
  private final Duration reconnect;

  public LiveController(
      EventFeed feed,
      EventLogStore eventLog,
      TransferStore transfers,
      AccountAccess accounts,
      LiveSubscribers subscribers,
      LiveProperties properties,
      EventsProperties events,
      Clock clock,
      SagaTracing tracing,
      StreamHandover handover) {
    this.handover = handover;
    this.heartbeat = Duration.ofSeconds(properties.heartbeatSeconds());
    this.reconnect = Duration.ofMillis(properties.reconnectMillis());
    this.events = events;
    this.tracing = tracing;
    this.clock = clock;
    this.feed = feed;
    this.eventLog = eventLog;
    this.transfers = transfers;
    this.accounts = accounts;
    this.subscribers = subscribers;
    this.properties = properties;
  }

  /** Without Last-Event-ID the whole (retained) history of the transfer comes first. */
  @StreamResponse
  @GetMapping(path = "/api/v1/transfers/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Mono<Void> transfer(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestHeader(name = LAST_EVENT_ID, required = false) String last,
      ServerWebExchange exchange) {
    CurrentUser user = CurrentUser.of(jwt);
    long after = position(last);
    Replay replay =
        new Replay(Math.max(after, 0), (from, limit) -> eventLog.afterForResource(id, from, limit));
    return transfers
        .find(id)
        .filterWhen(transfer -> user.isOps() ? Mono.just(true) : transfers.isParty(id, user.id()))
        .switchIfEmpty(
            Mono.error(
                () -> new RejectedException(Rejection.TRANSFER_NOT_FOUND, "transfer not found")))
        .flatMap(transfer -> stream(user, untilTerminal(transfer, replay, after), exchange));
  }

  /**
   * A transfer's events up to its terminal one. A terminal status in the transfer table comes
   * before its event is sequenced (the log is fed through Kafka), so a terminal transfer is still
   * watched live until its terminal event; only when the client has already seen that event, or the
   * events are past retention, does the stream end at once.
   */
  private Flux<EventLogRow> untilTerminal(Transfer transfer, Replay replay, long after) {
    UUID id = transfer.id();
    Flux<EventLogRow> watched =
        feed.subscribe(Route.resource(id), replay).takeUntil(EventLogRow::isTerminal);
    if (!transfer.status().isTerminal()) {
      return watched;
    }
    if (transfer.updatedAt().isBefore(clock.instant().minus(events.retention()))) {
      return feed.replay(replay);
    }
    return eventLog
        .terminalSeq(id)
        .map(terminal -> terminal <= after)
        .defaultIfEmpty(false)
        .flatMapMany(seen -> seen ? Flux.<EventLogRow>empty() : watched);
  }

  /** Without Last-Event-ID, events from now on. */
  @StreamResponse
  @GetMapping(path = "/api/v1/accounts/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Mono<Void> account(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable UUID id,
      @RequestHeader(name = LAST_EVENT_ID, required = false) String last,
      ServerWebExchange exchange) {
    long after = position(last);
    Replay replay =
        after < 0
            ? null
            : new Replay(after, (from, limit) -> eventLog.afterForAccount(id, from, limit));
    CurrentUser user = CurrentUser.of(jwt);
    return accounts
        .check(user, id)
        .then(Mono.defer(() -> stream(user, feed.subscribe(Route.account(id), replay), exchange)));
  }

  /** Every event; the path is OPS-only in the security configuration. */
  @StreamResponse
  @GetMapping(path = "/api/v1/ops/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Mono<Void> everything(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = LAST_EVENT_ID, required = false) String last,
      ServerWebExchange exchange) {
    long after = position(last);
    Replay replay = after < 0 ? null : new Replay(after, eventLog::after);
    return stream(CurrentUser.of(jwt), feed.subscribe(Route.everything(), replay), exchange);
  }

  /**
   * Takes a stream slot for {@code user} and hands the stream over to be written straight to the
   * connection once this request completes ({@link StreamHandover}); refused, the request answers
   * 429 or 503 with a jittered Retry-After.
   */
  private Mono<Void> stream(CurrentUser user, Flux<EventLogRow> rows, ServerWebExchange exchange) {
    return Mono.defer(
        () -> {
          LiveSubscribers.Refusal refused = subscribers.tryAcquire(user.id());
          if (refused != null) {
            exchange
                .getResponse()
                .getHeaders()
                .set(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(properties.retryAfter(ThreadLocalRandom.current())));
            return Mono.error(
                refused == LiveSubscribers.Refusal.USER_FULL
                    ? new ApiException(
                        ApiError.RATE_LIMITED,
                        "this user already has "
                            + properties.subscribersPerUserMax()
                            + " open streams on this instance;"
                            + " close one or retry later",
                        List.of(),
                        STREAMS_PER_USER)
                    : new ApiException(
                        ApiError.SERVICE_UNAVAILABLE,
                        "this instance serves as many streams as it can; retry later"));
          }
          UUID owner = user.id();
          LiveStream stream =
              new LiveStream(
                  rows, delivered, () -> subscribers.release(owner), heartbeat, reconnect);
          HttpHeaders headers = exchange.getResponse().getHeaders();
          headers.setContentType(EVENT_STREAM);
          headers.setCacheControl("no-store");
          if (!handover.hand(exchange, stream)) {
            // A HEAD request: its headers are its answer, and it holds no stream.
            stream.dispose();
            if (!HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
              return Mono.error(
                  new IllegalStateException("streams are served on Reactor Netty connections"));
            }
          }
          return Mono.empty();
        });
  }

  /**
   * Marks the event's delivery to this subscriber in the trace that caused it (the transfer's: its
   * accept, relay, credit leg and sequencing), when that trace is sampled. A point in time, not a
   * duration: the frame is written after this, by the stream. The frame itself carries no trace.
   */
  private void traceDelivery(EventLogRow row) {
    Span span = tracing.child(row.traceParent(), "sse delivery", Span.Kind.PRODUCER);
    if (span != null) {
      span.tag("paystream.event.type", row.type())
          .tag("paystream.event.seq", Long.toString(row.seq()))
          .end();
    }
  }

  /** The Last-Event-ID as a position, or -1 when absent. */
  static long position(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return -1;
    }
    try {
      long seq = Long.parseLong(lastEventId.trim());
      if (seq < 0) {
        throw new NumberFormatException("negative");
      }
      return seq;
    } catch (NumberFormatException e) {
      throw ApiException.invalid(LAST_EVENT_ID, "must be an event id this API sent");
    }
  }
}
