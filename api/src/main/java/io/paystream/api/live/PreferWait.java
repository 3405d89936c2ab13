package io.paystream.api.live;

import io.paystream.api.ApiProperties;
import io.paystream.api.idempotency.IdempotencyService;
import io.paystream.messaging.events.EventFeed;
import io.paystream.messaging.events.EventFeed.Replay;
import io.paystream.messaging.events.Route;
import io.paystream.persistence.events.EventLogRow;
import io.paystream.persistence.events.EventLogStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code Prefer: wait=N} (RFC 7240) on a money-moving POST: after the accepting transaction has
 * committed, wait up to N seconds (at most {@code paystream.wait-seconds-max}) for the resource's
 * terminal event on the live feed, without holding a thread, and answer 200 with the terminal
 * resource; otherwise the usual 202. Either way {@code Preference-Applied: wait=N} says we waited.
 *
 * <p>A waiting request holds a live subscription, so it takes one of the instance's stream slots
 * ({@code paystream.live.subscribers-max}); with none free it does not wait and answers 202.
 *
 * <p>An idempotent replay ({@code Idempotent-Replayed: true}) is answered exactly as stored: the
 * contract promises the original status and body again, so it never waits and never becomes a 200.
 * A client that wants the outcome then reads the resource or its event stream.
 */
@Component
public class PreferWait {

  public static final String PREFER = "Prefer";
  public static final String PREFERENCE_APPLIED = "Preference-Applied";

  private static final Pattern WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?(\\d{1,9})\"?");

  private final EventFeed feed;
  private final EventLogStore eventLog;
  private final int waitSecondsMax;
  private final LiveSubscribers subscribers;

  public PreferWait(
      EventFeed feed,
      EventLogStore eventLog,
      ApiProperties properties,
      LiveSubscribers subscribers) {
    this.subscribers = subscribers;
    this.feed = feed;
    this.eventLog = eventLog;
    this.waitSecondsMax = properties.waitSecondsMax();
  }

  /** The seconds to wait, capped; 0 when the header asks for no wait or is not understood. */
  int seconds(String prefer) {
    if (prefer == null) {
      return 0;
    }
    Matcher matcher = WAIT.matcher(prefer);
    return matcher.find() ? (int) Math.min(Long.parseLong(matcher.group(1)), waitSecondsMax) : 0;
  }

  /**
   * Applies the preference to a committed answer: only a fresh 202 with a Location is waited on.
   * Call it after the transaction, never inside it (a wait there would hold the connection and the
   * idempotency lock for N seconds).
   */
  public Mono<ResponseEntity<byte[]>> apply(String prefer, ResponseEntity<byte[]> accepted) {
    int seconds = seconds(prefer);
    String location = accepted.getHeaders().getFirst(HttpHeaders.LOCATION);
    if (seconds == 0
        || accepted.getStatusCode().value() != HttpStatus.ACCEPTED.value()
        || location == null
        || accepted.getHeaders().containsHeader(IdempotencyService.REPLAYED_HEADER)
        || !subscribers.tryAcquire()) {
      return Mono.just(accepted);
    }
    UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    String applied = "wait=" + seconds;
    return terminal(id, Duration.ofSeconds(seconds))
        .map(
            data ->
                ResponseEntity.ok()
                    .headers(
                        headers -> {
                          headers.putAll(accepted.getHeaders());
                          headers.setContentType(MediaType.APPLICATION_JSON);
                          headers.set(PREFERENCE_APPLIED, applied);
                        })
                    .body(data.getBytes(StandardCharsets.UTF_8)))
        .defaultIfEmpty(
            ResponseEntity.status(accepted.getStatusCode())
                .headers(
                    headers -> {
                      headers.putAll(accepted.getHeaders());
                      headers.set(PREFERENCE_APPLIED, applied);
                    })
                .body(accepted.getBody()))
        .doFinally(signal -> subscribers.release());
  }

  /** The terminal resource JSON, or empty after {@code wait}; replay covers an early finish. */
  Mono<String> terminal(UUID resourceId, Duration wait) {
    Replay everything =
        new Replay(0, (after, limit) -> eventLog.afterForResource(resourceId, after, limit));
    return feed.subscribe(Route.resource(resourceId), everything)
        .filter(EventLogRow::isTerminal)
        .next()
        .map(EventLogRow::data)
        .timeout(wait, Mono.empty());
  }
}
