package io.paystream.api.security;

import io.paystream.api.ApiProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * bcrypt, deliberately slow (~50-100 ms of CPU), so it runs on its own bounded scheduler and
 * never on an event loop. Used only at registration and login; API calls carry a JWT instead.
 */
@Component
public class PasswordHasher implements DisposableBean {

  /** Cost 10: ~60 ms on this machine's cores; each +1 doubles it. */
  static final int BCRYPT_COST = 10;

  /**
   * A real hash of a random password, compared against when the email is unknown, so that a
   * login for a missing user costs the same time as one for an existing user.
   */
  private final String dummyHash;

  private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(BCRYPT_COST);
  private final Scheduler scheduler;

  public PasswordHasher(ApiProperties properties) {
    this.scheduler = Schedulers.newBoundedElastic(properties.passwordHashConcurrencyMax(),
        properties.passwordHashQueueMax(), "password-hash");
    // CPU only, once, at start-up: no I/O happens in this constructor.
    this.dummyHash = bcrypt.encode(java.util.UUID.randomUUID().toString());
  }

  public Mono<String> hash(String password) {
    return Mono.fromCallable(() -> bcrypt.encode(password)).subscribeOn(scheduler);
  }

  /** True if {@code password} matches {@code hash}; a null hash costs the same and is false. */
  public Mono<Boolean> matches(String password, String hash) {
    return Mono.fromCallable(() -> {
      boolean matched = bcrypt.matches(password, hash == null ? dummyHash : hash);
      return matched && hash != null;
    }).subscribeOn(scheduler);
  }

  @Override
  public void destroy() {
    scheduler.dispose();
  }
}
