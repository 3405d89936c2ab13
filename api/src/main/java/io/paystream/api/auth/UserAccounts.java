package io.paystream.api.auth;

import io.paystream.api.audit.AuditTrail;
import io.paystream.api.audit.EmailMask;
import io.paystream.api.auth.AuthController.LoginRequest;
import io.paystream.api.auth.AuthController.RefreshRequest;
import io.paystream.api.auth.AuthController.RegisterRequest;
import io.paystream.api.auth.AuthController.TokenPair;
import io.paystream.api.auth.AuthController.UserDocument;
import io.paystream.api.ratelimit.AuthRateLimits;
import io.paystream.api.security.CurrentUser;
import io.paystream.api.security.LoginSessions;
import io.paystream.api.security.PasswordHasher;
import io.paystream.api.security.TokenService;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.FieldChecks;
import io.paystream.api.web.RunToCompletion;
import io.paystream.domain.Ids;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.user.RefreshTokenStore;
import io.paystream.persistence.user.RefreshTokenStore.Presented;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The application service of user accounts (people, not money accounts): registration, login,
 * refresh-token rotation and logout, each in its own transaction with its audit event.
 */
@Service
public class UserAccounts {

  /** The contract's password policy. */
  static final int PASSWORD_LENGTH_MIN = 12;

  static final int PASSWORD_LENGTH_MAX = 128;

  /** Longer login attempts are refused as malformed; they cannot match a registered password. */
  static final int LOGIN_PASSWORD_LENGTH_MAX = 1024;

  static final int NAME_LENGTH_MAX = 100;

  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final Clock clock;
  private final AuthRateLimits limits;
  private final AuditTrail audit;
  private final TransactionalOperator transaction;
  private final LoginSessions sessions;

  public UserAccounts(
      UserStore users,
      RefreshTokenStore refreshTokens,
      PasswordHasher hasher,
      TokenService tokens,
      Clock clock,
      AuthRateLimits limits,
      AuditTrail audit,
      TransactionalOperator transaction,
      LoginSessions sessions) {
    this.users = users;
    this.sessions = sessions;
    this.refreshTokens = refreshTokens;
    this.hasher = hasher;
    this.tokens = tokens;
    this.clock = clock;
    this.limits = limits;
    this.audit = audit;
    this.transaction = transaction;
  }

  /**
   * @param clientAddress where the request came from, for the registration rate limits; null only
   *     for a caller inside the application (the OPS bootstrap), which is not limited
   */
  public Mono<UserDocument> register(RegisterRequest request, String clientAddress) {
    FieldChecks checks = new FieldChecks();
    String email = EmailAddresses.normalise(checks, "email", request.email());
    password(checks, request.password());
    String name = checks.requiredText("name", request.name(), NAME_LENGTH_MAX);
    checks.throwIfInvalid();
    Mono<Void> limited =
        clientAddress == null ? Mono.empty() : limits.registration(email, clientAddress);
    return limited
        .then(Mono.defer(() -> hasher.hash(request.password())))
        .flatMap(
            hash -> {
              UserRecord user =
                  new UserRecord(
                      Ids.newId(),
                      email,
                      name.trim(),
                      hash,
                      List.of(CurrentUser.CUSTOMER),
                      Timestamps.now(clock));
              return RunToCompletion.of(
                  transaction.transactional(
                      users
                          .insert(user)
                          .flatMap(
                              inserted ->
                                  inserted
                                      ? audit
                                          .record(
                                              AuditTrail.REGISTERED,
                                              user.id(),
                                              Map.of("email", EmailMask.mask(email)))
                                          .thenReturn(
                                              new UserDocument(
                                                  user.id(), user.email(), user.name()))
                                      : Mono.error(
                                          new ApiException(
                                              ApiError.EMAIL_TAKEN,
                                              "an account with this email already exists")))));
            });
  }

  public Mono<TokenPair> login(LoginRequest request, String clientAddress) {
    FieldChecks checks = new FieldChecks();
    String email = EmailAddresses.normalise(checks, "email", request.email());
    // Any length up to a sanity bound is merely wrong, not malformed: 401, never a hint (400)
    // about the registration policy.
    if (request.password() == null || request.password().isEmpty()) {
      checks.fail("password", "is required");
    } else {
      // Not requiredText: a password of spaces registers, so it must be able to log in.
      checks.text("password", request.password(), LOGIN_PASSWORD_LENGTH_MAX);
    }
    checks.throwIfInvalid();
    ApiException invalid =
        new ApiException(ApiError.INVALID_CREDENTIALS, "email or password is wrong");
    Map<String, String> masked = Map.of("email", EmailMask.mask(email));
    return limits
        .login(email, clientAddress)
        .then(
            Mono.defer(
                () ->
                    users
                        .findByEmail(email)
                        .map(java.util.Optional::of)
                        .defaultIfEmpty(java.util.Optional.empty())))
        .flatMap(
            found ->
                hasher
                    .matches(request.password(), found.map(UserRecord::passwordHash).orElse(null))
                    .flatMap(
                        matched ->
                            matched && found.isPresent()
                                ? startSession(found.get())
                                : audit
                                    .record(
                                        AuditTrail.LOGIN_FAILED,
                                        found.map(UserRecord::id).orElse(null),
                                        masked)
                                    .then(Mono.error(invalid))));
  }

  public Mono<TokenPair> refresh(RefreshRequest request, String clientAddress) {
    FieldChecks checks = new FieldChecks();
    checks.requiredText("refreshToken", request.refreshToken(), 512);
    checks.throwIfInvalid();
    Instant now = Timestamps.now(clock);
    return limits
        .refresh(clientAddress)
        .then(Mono.defer(() -> refreshTokens.spend(TokenService.hash(request.refreshToken()), now)))
        .flatMap(
            presented -> {
              if (presented instanceof Presented.Spent spent) {
                return users
                    .find(spent.userId())
                    .flatMap(user -> issue(user, spent.familyId(), now));
              }
              if (presented instanceof Presented.Reused reused) {
                // The family was revoked in spend()'s own transaction; this records that it was.
                sessions.revoked(reused.familyId());
                return audit
                    .record(
                        AuditTrail.REFRESH_TOKEN_REUSED,
                        reused.userId(),
                        Map.of("familyId", reused.familyId().toString()))
                    .then(
                        Mono.error(
                            new ApiException(
                                ApiError.REFRESH_TOKEN_REUSED,
                                "this refresh token was already used; sign in again")));
              }
              return Mono.error(
                  new ApiException(
                      ApiError.INVALID_REFRESH_TOKEN, "the refresh token is not valid"));
            })
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ApiException(
                        ApiError.INVALID_REFRESH_TOKEN, "the refresh token is not valid")));
  }

  public Mono<Void> logout(CurrentUser user, RefreshRequest request) {
    FieldChecks checks = new FieldChecks();
    checks.requiredText("refreshToken", request.refreshToken(), 512);
    checks.throwIfInvalid();
    // Someone else's or an unknown refresh token revokes nothing, and the answer is the same
    // 204, so logout cannot be used to probe for tokens.
    return RunToCompletion.of(
            transaction.transactional(
                refreshTokens
                    .revokeFamilyOf(
                        TokenService.hash(request.refreshToken()), user.id(), Timestamps.now(clock))
                    .flatMap(
                        family ->
                            audit
                                .record(AuditTrail.LOGOUT, user.id(), Map.of())
                                .thenReturn(family))))
        .doOnNext(sessions::revoked)
        .then();
  }

  /** The new login's first refresh token and its audit event commit together. */
  private Mono<TokenPair> startSession(UserRecord user) {
    UUID family = Ids.newId();
    return RunToCompletion.of(
        transaction.transactional(
            issue(user, family, Timestamps.now(clock))
                .flatMap(
                    pair ->
                        audit
                            .record(
                                AuditTrail.LOGIN_SUCCEEDED,
                                user.id(),
                                Map.of(
                                    "email",
                                    EmailMask.mask(user.email()),
                                    "sessionId",
                                    family.toString()))
                            .thenReturn(pair))));
  }

  private Mono<TokenPair> issue(UserRecord user, UUID familyId, Instant now) {
    String refresh = tokens.newRefreshToken();
    return refreshTokens
        .issue(
            Ids.newId(),
            user.id(),
            familyId,
            TokenService.hash(refresh),
            now,
            now.plusSeconds(tokensRefreshTtl()))
        .then(
            Mono.fromCallable(
                () ->
                    new TokenPair(
                        tokens.accessToken(user.id(), user.roles(), familyId, now),
                        refresh,
                        "Bearer",
                        tokens.accessTokenTtlSeconds())));
  }

  private long tokensRefreshTtl() {
    return tokens.refreshTokenTtlSeconds();
  }

  private static void password(FieldChecks checks, String password) {
    if (password == null) {
      checks.fail("password", "is required");
      return;
    }
    int length = password.codePointCount(0, password.length());
    if (length < PASSWORD_LENGTH_MIN || length > PASSWORD_LENGTH_MAX) {
      checks.fail(
          "password",
          "must be " + PASSWORD_LENGTH_MIN + " to " + PASSWORD_LENGTH_MAX + " characters");
    } else {
      // Login refuses what is not plain text, so such a password could never be used.
      checks.plainText("password", password);
    }
  }
}
