package io.paystream.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.paystream.persistence.notify.PostgresChannels;
import io.paystream.persistence.user.RefreshTokenStore;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Whether a login (a refresh-token family, the access token's {@code sid}) is still active, and
 * whose it is, answered from memory for repeat callers so that a bearer request costs no database
 * query.
 *
 * <p>A family's owner never changes and revocation is permanent, so a revoked family is remembered
 * as such. An active one is remembered, with its owner, only while this instance LISTENs to {@code
 * paystream_sessions}, where a trigger announces every revocation on commit: a notification marks
 * the family revoked; losing the connection forgets every active family (a revocation may have been
 * missed), and so does getting it back. An answer read from the database is kept only if no
 * revocation arrived while it was being read, so a late reader cannot put back what a notification
 * just removed. The instance that revokes a family marks it at once ({@link #revoked}); other
 * instances learn of it when the notification arrives, normally within milliseconds of the commit.
 */
@Component
public class LoginSessions implements SmartLifecycle {

  static final String CHANNEL = "paystream_sessions";
  private static final Logger log = LoggerFactory.getLogger(LoginSessions.class);

  private final RefreshTokenStore families;
  private final PostgresChannels channels;

  /** An owner while the family is active; empty once it is revoked (or was never issued). */
  private final Cache<UUID, Optional<UUID>> known =
      Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(Duration.ofHours(1)).build();

  /** Changes with every revocation and every change of the listening state. */
  private final AtomicLong epoch = new AtomicLong();

  private volatile boolean listening;
  private volatile Disposable subscription;

  public LoginSessions(RefreshTokenStore families, PostgresChannels channels) {
    this.families = families;
    this.channels = channels;
  }

  /**
   * The user whose login {@code family} is, while it is active; empty once it is revoked, or if it
   * was never issued. A bearer token belongs to this user only.
   */
  public Mono<UUID> activeOwner(UUID family) {
    Optional<UUID> remembered = known.getIfPresent(family);
    if (remembered != null) {
      return Mono.justOrEmpty(remembered);
    }
    long readAt = epoch.get();
    return families
        .activeFamilyOwner(family)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .doOnNext(
            owner -> {
              // Revoked is final, kept whatever happened meanwhile; active only if no revocation
              // can have been missed while it was read.
              if (owner.isEmpty() || listening && epoch.get() == readAt) {
                known.put(family, owner);
              }
            })
        .flatMap(Mono::justOrEmpty);
  }

  /** Called after this instance committed the revocation of {@code family}. */
  public void revoked(UUID family) {
    epoch.incrementAndGet();
    known.put(family, Optional.empty());
  }

  private void listening(boolean now) {
    epoch.incrementAndGet();
    if (listening != now) {
      log.info(
          now
              ? "listening for revoked logins"
              : "not listening for revoked logins;"
                  + " every bearer request checks its login in the database until it is back");
    }
    listening = now;
    known.asMap().values().removeIf(Optional::isPresent);
  }

  private void announced(String payload) {
    try {
      revoked(UUID.fromString(payload));
    } catch (IllegalArgumentException e) {
      log.warn("ignored a malformed {} notification: {}", CHANNEL, payload);
    }
  }

  @Override
  public void start() {
    subscription = channels.listen(CHANNEL, this::listening).subscribe(this::announced);
  }

  @Override
  public void stop() {
    Disposable current = subscription;
    if (current != null) {
      current.dispose();
    }
    subscription = null;
  }

  @Override
  public boolean isRunning() {
    return subscription != null;
  }
}
