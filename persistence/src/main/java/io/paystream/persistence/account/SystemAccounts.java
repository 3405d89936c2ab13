package io.paystream.persistence.account;

import java.time.Clock;
import java.util.Currency;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import io.paystream.persistence.Timestamps;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The per-currency WORLD and TRANSIT accounts. They are created once, with the first customer
 * account of their currency, and never change, so their ids are cached for the process's life.
 */
@Component
public class SystemAccounts {

  public enum Kind { WORLD, TRANSIT }

  private final DatabaseClient db;
  private final Clock clock;
  private final Map<String, UUID> ids = new ConcurrentHashMap<>();

  public SystemAccounts(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Creates WORLD and TRANSIT for {@code currency} if absent; safe to race with other instances. */
  public Mono<Void> ensure(Currency currency) {
    if (ids.containsKey(cacheKey(Kind.WORLD, currency)) && ids.containsKey(cacheKey(Kind.TRANSIT, currency))) {
      return Mono.empty();
    }
    return create(Kind.WORLD, currency).then(create(Kind.TRANSIT, currency));
  }

  private Mono<Void> create(Kind kind, Currency currency) {
    return db.sql("""
            INSERT INTO account (id, owner_id, kind, currency, balance, status, created_at)
            VALUES (:id, NULL, :kind, :currency, 0, 'ACTIVE', :createdAt)
            ON CONFLICT (kind, currency) WHERE kind <> 'CUSTOMER' DO NOTHING""")
        .bind("id", AccountStore.newSystemAccountId())
        .bind("kind", kind.name())
        .bind("currency", currency.getCurrencyCode())
        .bind("createdAt", Timestamps.now(clock))
        .fetch().rowsUpdated()
        .then();
  }

  /** The id of the {@code kind} account of {@code currency}; it must exist (see {@link #ensure}). */
  public Mono<UUID> id(Kind kind, Currency currency) {
    String key = cacheKey(kind, currency);
    UUID cached = ids.get(key);
    if (cached != null) {
      return Mono.just(cached);
    }
    return db.sql("SELECT id FROM account WHERE kind = :kind AND currency = :currency")
        .bind("kind", kind.name())
        .bind("currency", currency.getCurrencyCode())
        .map(row -> row.get("id", UUID.class))
        .one()
        .switchIfEmpty(Mono.error(() -> new IllegalStateException(
            "no " + kind + " account for " + currency + ": ensure() was not called")))
        .doOnNext(id -> ids.put(key, id));
  }

  private static String cacheKey(Kind kind, Currency currency) {
    return kind.name() + ':' + currency.getCurrencyCode();
  }
}
