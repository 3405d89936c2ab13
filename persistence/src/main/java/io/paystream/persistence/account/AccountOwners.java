package io.paystream.persistence.account;

import io.paystream.domain.Account;
import io.r2dbc.spi.Readable;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Customer accounts with their owners, for operators looking a customer up. Read-only and
 * lock-free. Every query is answered from an index: by owner e-mail through {@code
 * app_user_email_uq} then {@code account_owner_idx (owner_id, id)}, otherwise the primary key read
 * backwards (ids are time-ordered, so newest first).
 */
@Repository
public class AccountOwners {

  private static final String COLUMNS =
      "a.id, a.owner_id, a.currency, a.balance, a.held, a.status, a.created_at,"
          + " u.email AS owner_email, u.name AS owner_name";

  private final DatabaseClient db;

  public AccountOwners(DatabaseClient db) {
    this.db = db;
  }

  /**
   * A customer account and who owns it. The e-mail is the stored (normalised, unmasked) one: the
   * caller decides how much of it to show.
   */
  public record AccountWithOwner(Account account, String ownerEmail, String ownerName) {}

  /** The customer account with this id and its owner; empty for unknown and system accounts. */
  public Mono<AccountWithOwner> find(UUID id) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM account a JOIN app_user u ON u.id = a.owner_id"
                + " WHERE a.id = :id AND a.kind = 'CUSTOMER'")
        .bind("id", id)
        .map(AccountOwners::map)
        .one();
  }

  /**
   * Customer accounts newest first, strictly before {@code beforeId} when given, only those of the
   * user with exactly this (normalised) e-mail when {@code email} is given.
   */
  public Flux<AccountWithOwner> page(String email, UUID beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + " FROM account a JOIN app_user u ON u.id = a.owner_id"
                + " WHERE a.kind = 'CUSTOMER'");
    if (email != null) {
      sql.append(" AND u.email = :email");
    }
    if (beforeId != null) {
      sql.append(" AND a.id < :before");
    }
    sql.append(" ORDER BY a.id DESC LIMIT :limit");
    GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
    if (email != null) {
      spec = spec.bind("email", email);
    }
    if (beforeId != null) {
      spec = spec.bind("before", beforeId);
    }
    return spec.map(AccountOwners::map).all();
  }

  /**
   * The accounts of the customer with exactly this (normalised) e-mail, any status; none for an
   * unknown address. {@code app_user_email_uq}, then {@code account_owner_idx}.
   */
  public Flux<UUID> accountIdsOf(String email) {
    return db.sql(
            """
            SELECT a.id FROM account a JOIN app_user u ON u.id = a.owner_id
             WHERE u.email = :email AND a.kind = 'CUSTOMER'""")
        .bind("email", email)
        .map(row -> row.get("id", UUID.class))
        .all();
  }

  private static AccountWithOwner map(Readable row) {
    return new AccountWithOwner(
        AccountStore.map(row),
        row.get("owner_email", String.class),
        row.get("owner_name", String.class));
  }
}
