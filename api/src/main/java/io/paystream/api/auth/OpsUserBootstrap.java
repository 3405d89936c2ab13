package io.paystream.api.auth;

import io.paystream.api.ApiProperties;
import io.paystream.api.auth.AuthController.RegisterRequest;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.security.PasswordHasher;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.FieldChecks;
import io.paystream.persistence.user.UserStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Ensures the OPS user of {@code PAYSTREAM_OPS_EMAIL}/{@code PAYSTREAM_OPS_PASSWORD} exists with
 * that password and the OPS role. Runs on the main thread during start-up, after Flyway and before
 * the instance reports ready, so an operator can log in as soon as readiness says UP.
 */
@Component
public class OpsUserBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(OpsUserBootstrap.class);

  /** Start-up fails rather than hang if the database does not answer within this. */
  static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(30);

  private final ApiProperties properties;
  private final UserAccounts userAccounts;
  private final UserStore users;
  private final PasswordHasher hasher;

  public OpsUserBootstrap(
      ApiProperties properties, UserAccounts userAccounts, UserStore users, PasswordHasher hasher) {
    this.properties = properties;
    this.userAccounts = userAccounts;
    this.users = users;
    this.hasher = hasher;
  }

  @Override
  public void run(ApplicationArguments args) {
    String email = properties.opsEmail();
    String password = properties.opsPassword();
    if (email == null || email.isBlank() || password == null || password.isBlank()) {
      return;
    }
    FieldChecks checks = new FieldChecks();
    String normalised = EmailAddresses.normalise(checks, "PAYSTREAM_OPS_EMAIL", email);
    if (normalised == null) {
      throw new IllegalStateException("PAYSTREAM_OPS_EMAIL is not a valid email address");
    }
    // block() is deliberate: this is the main thread at start-up, never an event loop.
    ensure(normalised, password).block(BOOTSTRAP_TIMEOUT);
    log.info("OPS user ensured");
  }

  private Mono<Void> ensure(String email, String password) {
    return userAccounts
        .register(new RegisterRequest(email, password, "Operations"), null)
        .onErrorResume(
            ApiException.class,
            refused -> refused.error() == ApiError.EMAIL_TAKEN ? Mono.empty() : Mono.error(refused))
        .then(hasher.hash(password))
        .flatMap(hash -> users.grant(email, CurrentUser.OPS, hash));
  }
}
