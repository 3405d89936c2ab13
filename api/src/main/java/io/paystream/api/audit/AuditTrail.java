package io.paystream.api.audit;

import io.paystream.domain.Ids;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.audit.AuditRecord;
import io.paystream.persistence.audit.AuditStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records security- and money-relevant facts. Called inside the transaction of the change it
 * describes, the event commits or rolls back with it. The request id and client address come from
 * the Reactor context ({@link AuditContextFilter}).
 */
@Service
public class AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  public static final String LOGIN_SUCCEEDED = "auth.login.succeeded";
  public static final String LOGIN_FAILED = "auth.login.failed";
  public static final String REFRESH_TOKEN_REUSED = "auth.refresh_token.reused";
  public static final String LOGOUT = "auth.logout";
  public static final String REGISTERED = "auth.registered";
  public static final String ACCOUNT_FROZEN = "account.frozen";
  public static final String ACCOUNT_UNFROZEN = "account.unfrozen";
  public static final String ACCOUNT_CLOSED = "account.closed";
  public static final String MONEY_ACCEPTED = "money.accepted";
  public static final String MONEY_REJECTED = "money.rejected";
  public static final String RISK_LIMIT_EXCEEDED = "limit.risk_exceeded";
  public static final String RATE_LIMIT_EXCEEDED = "limit.rate_exceeded";

  /**
   * A flood of refused requests must not become a flood of inserts: one rate-limit event per limit
   * and key per this interval, per instance, is enough to see an attack in the trail.
   */
  static final Duration RATE_LIMIT_EVENT_INTERVAL = Duration.ofSeconds(60);

  /** Keys remembered for that throttling; the least recently seen is forgotten beyond this. */
  static final int RATE_LIMIT_KEYS_MAX = 10_000;

  private final AuditStore store;
  private final JsonMapper json;
  private final Clock clock;
  private final Map<String, Long> lastRateLimitEvent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > RATE_LIMIT_KEYS_MAX;
        }
      };

  public AuditTrail(AuditStore store, JsonMapper json, Clock clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  /** Appends one event; joins the subscriber's transaction when there is one. */
  public Mono<Void> record(String type, UUID userId, Map<String, ?> metadata) {
    return Mono.deferContextual(
        context ->
            store.append(
                event(type, userId, metadata, context.getOrDefault(AuditContext.class, null))));
  }

  /**
   * The event {@link #record} would append for a request served with {@code request} (null when
   * there is none), for callers that write many requests' events in one statement.
   */
  public AuditRecord event(
      String type, UUID userId, Map<String, ?> metadata, AuditContext request) {
    return new AuditRecord(
        Ids.newId(),
        type,
        userId,
        request == null ? null : request.requestId(),
        request == null ? null : request.clientAddress(),
        json.writeValueAsString(metadata),
        Timestamps.now(clock));
  }

  /** Appends the events in one statement; joins the subscriber's transaction. */
  public Mono<Void> recordAll(List<AuditRecord> events) {
    return store.appendAll(events);
  }

  /**
   * A refused request. {@code key} identifies the bucket (a user id, or a hash of an email or
   * address); it is used for throttling only and not stored. Plain values rather than the rate
   * limiter's decision: the limiter calls the audit trail, so the trail does not know the limiter.
   *
   * @param limitName the limit's stable name, as in the problem body ({@code login_per_email})
   * @param limitPerWindow the bucket's capacity per window
   * @param retryAfterSeconds what the refusal's {@code Retry-After} says
   */
  public Mono<Void> rateLimited(
      UUID userId, String key, String limitName, long limitPerWindow, long retryAfterSeconds) {
    String throttleKey = limitName + ":" + key;
    long now = System.nanoTime();
    synchronized (lastRateLimitEvent) {
      Long last = lastRateLimitEvent.get(throttleKey);
      if (last != null && now - last < RATE_LIMIT_EVENT_INTERVAL.toNanos()) {
        return Mono.empty();
      }
      lastRateLimitEvent.put(throttleKey, now);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("limit", limitName);
    metadata.put("limitPerWindow", limitPerWindow);
    metadata.put("retryAfterSeconds", retryAfterSeconds);
    // Not part of any change: if the database cannot take it, the 429 still goes out.
    return record(RATE_LIMIT_EXCEEDED, userId, metadata)
        .onErrorResume(
            failure -> {
              log.warn(
                  "rate-limit audit event not recorded ({})", failure.getClass().getSimpleName());
              return Mono.empty();
            });
  }
}
