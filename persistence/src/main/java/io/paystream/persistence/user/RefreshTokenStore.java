package io.paystream.persistence.user;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Refresh tokens, stored only as hashes. {@link #rotate} spends a token and issues its successor in
 * one transaction; presenting a spent token revokes its whole family (a stolen token used after its
 * owner refreshed, or the other way round, ends every session of that login).
 */
@Repository
public class RefreshTokenStore {

  private final DatabaseClient db;
  private final TransactionalOperator transaction;

  public RefreshTokenStore(DatabaseClient db, TransactionalOperator transaction) {
    this.db = db;
    this.transaction = transaction;
  }

  public Mono<Void> issue(
      UUID id, UUID userId, UUID familyId, String tokenHash, Instant at, Instant expiresAt) {
    return db.sql(
            """
            INSERT INTO refresh_token (id, user_id, family_id, token_hash, created_at, expires_at)
            VALUES (:id, :user, :family, :hash, :at, :expires)""")
        .bind("id", id)
        .bind("user", userId)
        .bind("family", familyId)
        .bind("hash", tokenHash)
        .bind("at", at)
        .bind("expires", expiresAt)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** The outcome of presenting a refresh token. */
  public sealed interface Presented {
    /** Valid and now spent; issue the next token in {@code familyId}. */
    record Spent(UUID userId, UUID familyId) implements Presented {}

    /** Already spent: the family has just been revoked. */
    record Reused(UUID userId, UUID familyId) implements Presented {}

    /** Unknown, expired or revoked. */
    record Invalid() implements Presented {}
  }

  /**
   * Spends the token with this hash if it is live, atomically (two concurrent refreshes with the
   * same token: one spends it, the other sees it spent and revokes the family).
   */
  public Mono<Presented> spend(String tokenHash, Instant now) {
    Mono<Presented> flow =
        db.sql(
                """
            SELECT user_id, family_id, spent_at, revoked_at, expires_at FROM refresh_token
             WHERE token_hash = :hash FOR UPDATE""")
            .bind("hash", tokenHash)
            .map(
                row ->
                    new Row(
                        row.get("user_id", UUID.class),
                        row.get("family_id", UUID.class),
                        row.get("spent_at", Instant.class) != null,
                        row.get("revoked_at", Instant.class) != null,
                        row.get("expires_at", Instant.class)))
            .one()
            .flatMap(
                token -> {
                  if (token.revoked()) {
                    return Mono.<Presented>just(new Presented.Invalid());
                  }
                  if (token.spent()) {
                    return revokeFamily(token.familyId(), now)
                        .thenReturn(new Presented.Reused(token.userId(), token.familyId()));
                  }
                  if (!token.expiresAt().isAfter(now)) {
                    return Mono.<Presented>just(new Presented.Invalid());
                  }
                  return db.sql("UPDATE refresh_token SET spent_at = :now WHERE token_hash = :hash")
                      .bind("now", now)
                      .bind("hash", tokenHash)
                      .fetch()
                      .rowsUpdated()
                      .thenReturn(new Presented.Spent(token.userId(), token.familyId()));
                })
            .defaultIfEmpty(new Presented.Invalid());
    return transaction.transactional(flow);
  }

  /**
   * Revokes the family of the token with this hash if it belongs to {@code userId} (logout), and
   * emits that family; empty for an unknown token or someone else's.
   */
  public Mono<UUID> revokeFamilyOf(String tokenHash, UUID userId, Instant now) {
    return db.sql(
            """
            SELECT family_id FROM refresh_token
             WHERE token_hash = :hash AND user_id = :user""")
        .bind("hash", tokenHash)
        .bind("user", userId)
        .map(row -> row.get("family_id", UUID.class))
        .one()
        .flatMap(family -> revokeFamily(family, now).thenReturn(family));
  }

  /**
   * The user whose login this family is, while any token of it is unrevoked; empty for a revoked or
   * unknown family (access tokens of a revoked family die too). An access token is that user's only
   * if its subject is this owner. Because {@code user_id} references {@code app_user}, an owner is
   * always an existing user. Read-only; safe to retry.
   *
   * @throws IllegalStateException (as the Mono's error) if the family's tokens name more than one
   *     user: every token of a family is issued to the user of the token it replaces, so this is a
   *     bug, and guessing an owner would let one user act as another
   */
  public Mono<UUID> activeFamilyOwner(UUID familyId) {
    return db.sql(
            """
            SELECT DISTINCT user_id FROM refresh_token
             WHERE family_id = :family AND revoked_at IS NULL
             LIMIT 2""")
        .bind("family", familyId)
        .map(row -> row.get("user_id", UUID.class))
        .all()
        .collectList()
        .flatMap(
            owners ->
                switch (owners.size()) {
                  case 0 -> Mono.empty();
                  case 1 -> Mono.just(owners.get(0));
                  default ->
                      Mono.error(
                          new IllegalStateException(
                              "login " + familyId + " has tokens of more than one user"));
                });
  }

  private Mono<Void> revokeFamily(UUID familyId, Instant now) {
    return db.sql(
            "UPDATE refresh_token SET revoked_at = :now WHERE family_id = :family"
                + " AND revoked_at IS NULL")
        .bind("now", now)
        .bind("family", familyId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  private record Row(
      UUID userId, UUID familyId, boolean spent, boolean revoked, Instant expiresAt) {}
}
