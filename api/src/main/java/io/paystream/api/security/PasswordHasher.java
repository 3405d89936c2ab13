package io.paystream.api.security;

import io.paystream.api.ApiProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * bcrypt, deliberately slow (~50-100 ms of CPU), so it runs on its own bounded scheduler and never
 * on an event loop. Used only at registration and login; API calls carry a JWT instead.
 */
@Component
public class PasswordHasher implements DisposableBean {

  /** Cost 10: ~60 ms on this machine's cores; each +1 doubles it. */
  static final int BCRYPT_COST = 10;

  /**
   * A real hash of a random password, compared against when the email is unknown, so that a login
   * for a missing user costs the same time as one for an existing user.
   */
  private final String dummyHash;

  private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(BCRYPT_COST);
  private final Scheduler scheduler;

  public PasswordHasher(ApiProperties properties) {
    this.scheduler =
        Schedulers.newBoundedElastic(
            properties.passwordHashConcurrencyMax(),
            properties.passwordHashQueueMax(),
            "password-hash");
    // CPU only, once, at start-up: no I/O happens in this constructor.
    this.dummyHash = bcrypt.encode(java.util.UUID.randomUUID().toString());
  }

  public Mono<String> hash(String password) {
    return Mono.fromCallable(() -> bcrypt.encode(prehash(password))).subscribeOn(scheduler);
  }

  /**
   * bcrypt reads at most 72 bytes, and Spring's encoder refuses more; the contract allows 128
   * characters (up to 512 bytes of UTF-8). Hashing first with SHA-256 and base64 (44 bytes) keeps
   * every character significant, as two passwords sharing 72 bytes must not match.
   */
  static String prehash(String password) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** True if {@code password} matches {@code hash}; a null hash costs the same and is false. */
  public Mono<Boolean> matches(String password, String hash) {
    return Mono.fromCallable(
            () -> {
              boolean matched = bcrypt.matches(prehash(password), hash == null ? dummyHash : hash);
              return matched && hash != null;
            })
        .subscribeOn(scheduler);
  }

  @Override
  public void destroy() {
    scheduler.dispose();
  }
}
