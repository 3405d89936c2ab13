package io.paystream.persistence.account;

import io.paystream.persistence.Timestamps;
import java.time.Clock;
import java.util.Currency;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The per-currency WORLD, TRANSIT and PAYOUT accounts. They are created once, with the first
 * customer account of their currency, and never change, so their ids are cached for the process's
 * life.
 */
@Component
public class SystemAccounts {

  /** PAYOUT holds withdrawn money between the payer's debit and the provider's answer. */
  public enum Kind {
    WORLD,
    TRANSIT,
    PAYOUT
  }

  private final DatabaseClient db;
  private final Clock clock;
  private final Map<String, UUID> ids = new ConcurrentHashMap<>();

  public SystemAccounts(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Creates every system account of {@code currency} that is absent; safe to race with other
   * instances. Currencies opened before PAYOUT existed get it on their first withdrawal.
   */
  public Mono<Void> ensure(Currency currency) {
    boolean known = true;
    for (Kind kind : Kind.values()) {
      known &= ids.containsKey(cacheKey(kind, currency));
    }
    if (known) {
      return Mono.empty();
    }
    return Flux.fromArray(Kind.values()).concatMap(kind -> create(kind, currency)).then();
  }

  private Mono<Void> create(Kind kind, Currency currency) {
    return db.sql(
            """
            INSERT INTO account (id, owner_id, kind, currency, balance, status, created_at)
            VALUES (:id, NULL, :kind, :currency, 0, 'ACTIVE', :createdAt)
            ON CONFLICT (kind, currency) WHERE kind <> 'CUSTOMER' DO NOTHING""")
        .bind("id", AccountStore.newSystemAccountId())
        .bind("kind", kind.name())
        .bind("currency", currency.getCurrencyCode())
        .bind("createdAt", Timestamps.now(clock))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * The id of the {@code kind} account of {@code currency}; it must exist (see {@link #ensure}).
   */
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
        .switchIfEmpty(
            Mono.error(
                () ->
                    new IllegalStateException(
                        "no " + kind + " account for " + currency + ": ensure() was not called")))
        .doOnNext(id -> ids.put(key, id));
  }

  private static String cacheKey(Kind kind, Currency currency) {
    return kind.name() + ':' + currency.getCurrencyCode();
  }
}
