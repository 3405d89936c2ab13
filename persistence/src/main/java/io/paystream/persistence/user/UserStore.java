package io.paystream.persistence.user;

import io.paystream.persistence.Timestamps;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Users. Emails are stored normalised (trimmed, lower-case), unique. */
@Repository
public class UserStore {

  private static final String COLUMNS = "id, email, name, password_hash, roles, created_at";

  private final DatabaseClient db;

  public UserStore(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts the user; false when the email is already taken (nothing written). */
  public Mono<Boolean> insert(UserRecord user) {
    return db.sql(
            """
            INSERT INTO app_user (id, email, name, password_hash, roles, created_at)
            VALUES (:id, :email, :name, :hash, :roles, :at)
            ON CONFLICT (email) DO NOTHING""")
        .bind("id", user.id())
        .bind("email", user.email())
        .bind("name", user.name())
        .bind("hash", user.passwordHash())
        .bind("roles", user.roles().toArray(String[]::new))
        .bind("at", user.createdAt())
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  public Mono<UserRecord> findByEmail(String email) {
    return db.sql("SELECT " + COLUMNS + " FROM app_user WHERE email = :email")
        .bind("email", email)
        .map(UserStore::map)
        .one();
  }

  public Mono<UserRecord> find(UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM app_user WHERE id = :id")
        .bind("id", id)
        .map(UserStore::map)
        .one();
  }

  /** Makes sure the user with this email has {@code role} and this password hash. */
  public Mono<Void> grant(String email, String role, String passwordHash) {
    return db.sql(
            """
            UPDATE app_user SET roles = CASE WHEN :role = ANY(roles) THEN roles
                                             ELSE array_append(roles, :role) END,
                                password_hash = :hash
             WHERE email = :email""")
        .bind("role", role)
        .bind("hash", passwordHash)
        .bind("email", email)
        .fetch()
        .rowsUpdated()
        .then();
  }

  static UserRecord map(Readable row) {
    return new UserRecord(
        row.get("id", UUID.class),
        row.get("email", String.class),
        row.get("name", String.class),
        row.get("password_hash", String.class),
        List.of(row.get("roles", String[].class)),
        Timestamps.instant(row.get("created_at", Instant.class)));
  }
}
