package io.paystream.load;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recent-entries read without HTTP: the latest 20 entries of an account from the Redis sorted
 * set against the same 20 from PostgreSQL, each done the way the API does it, on its drivers.
 *
 * <pre>
 * ./mvnw -q -pl load-tests exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.paystream.load.RecentReadBenchmark \
 *     -Dexec.args="[--accounts 200] [--concurrency 32] [--seconds 20]"
 * </pre>
 *
 * <p>Redis: the API's warm read, one {@code GET} of the account's snapshot (the set's members, each
 * entry's JSON, already joined into the answer's array), on one shared Lettuce connection from a
 * bounded-elastic thread. PostgreSQL: the query of {@code SequencedEntries.latest} (the API's
 * rebuild and Redis-down path) on an R2DBC pool of the API's size, the rows mapped to entries and
 * encoded with Jackson. Both yield the same JSON array.
 *
 * <p>It picks the accounts with the most entries (at least 20) in the {@code paystream} database,
 * copies each one's latest 20 into a Redis set and snapshot of its own the way a cache rebuild does
 * (so it needs data, not a running API), then runs each path for {@code --seconds} after a warm-up
 * with {@code --concurrency} reads in flight, and prints reads per second and latency percentiles
 * as a Markdown table.
 *
 * <p>The query, the rebuild script and the key layout are copies (marked where they are), not the
 * API's classes: this module must build without the application's modules, because its Gatling
 * commands run with {@code -pl load-tests} alone on a fresh clone.
 *
 * <p>What it leaves out is the same for both paths over HTTP: the token check, the rate limit and
 * the JSON response. That part is measured by {@code load-tests/wrk/recent-vs-latest.lua}.
 */
public final class RecentReadBenchmark {

  /** RecentEntriesRedis.REBUILD (messaging): what a miss stores, the set and its snapshot. */
  private static final String REBUILD =
      """
      for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
      redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[1]) + 1))
      redis.call('EXPIRE', KEYS[1], ARGV[2])
      local top = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
      local snapshot = '[' .. table.concat(top, ',') .. ']'
      redis.call('SET', KEYS[2], snapshot, 'EX', ARGV[2])
      return snapshot""";

  /** SequencedEntries.latest with LedgerStore.ENTRY_COLUMNS: the API's query, copied. */
  private static final String LATEST =
      "SELECT seq, id, movement_id, account_id, direction, amount,"
          + " currency, balance_after, counterparty_account_id, description, created_at FROM entry"
          + " WHERE account_id = :account ORDER BY seq DESC LIMIT :limit";

  private static final int ENTRIES = 20;

  /** LedgerEntry's fields, which are its JSON (CONTRACT.md, History). */
  record Entry(
      UUID id,
      UUID transferId,
      UUID accountId,
      String direction,
      long amount,
      String currency,
      Long balanceAfter,
      UUID counterpartyAccountId,
      String description,
      Instant createdAt) {}

  /** An entry and its position in the account's history (entry.seq), the set's score. */
  record SequencedEntry(long seq, Entry entry) {}

  private RecentReadBenchmark() {}

  public static void main(String[] args) {
    int accountsWanted = intArg(args, "--accounts", 200);
    int concurrency = intArg(args, "--concurrency", 32);
    Duration measured = Duration.ofSeconds(intArg(args, "--seconds", 20));
    String r2dbcUrl =
        System.getProperty(
            "paystream.r2dbc.url",
            "r2dbc:pool:postgresql://postgres@127.0.0.1:5432/paystream?initialSize=4&maxSize=20");
    ConnectionFactory connections = ConnectionFactories.get(r2dbcUrl);
    DatabaseClient db = DatabaseClient.create(connections);
    Function<UUID, Flux<SequencedEntry>> latest =
        account ->
            db.sql(LATEST)
                .bind("account", account)
                .bind("limit", ENTRIES)
                .map(
                    row ->
                        new SequencedEntry(
                            row.get("seq", Long.class),
                            new Entry(
                                row.get("id", UUID.class), row.get("movement_id", UUID.class),
                                row.get("account_id", UUID.class),
                                    row.get("direction", String.class),
                                row.get("amount", Long.class), row.get("currency", String.class),
                                row.get("balance_after", Long.class),
                                    row.get("counterparty_account_id", UUID.class),
                                row.get("description", String.class),
                                    row.get("created_at", Instant.class))))
                .all();
    LettuceConnectionFactory redisFactory =
        new LettuceConnectionFactory(
            System.getProperty("paystream.redis.host", "127.0.0.1"),
            Integer.getInteger("paystream.redis.port", 6379));
    redisFactory.afterPropertiesSet();
    redisFactory.start();
    ReactiveStringRedisTemplate redis = new ReactiveStringRedisTemplate(redisFactory);
    JsonMapper json = JsonMapper.builder().build();
    RedisScript<String> rebuild = RedisScript.of(REBUILD, String.class);

    List<UUID> accounts =
        db.sql(
                "SELECT account_id FROM entry e"
                    + " JOIN account a ON a.id = e.account_id"
                    + " WHERE a.kind = 'CUSTOMER' GROUP BY account_id HAVING count(*) >= :entries"
                    + " ORDER BY count(*) DESC LIMIT :limit")
            .bind("entries", ENTRIES)
            .bind("limit", accountsWanted)
            .map(row -> row.get("account_id", UUID.class))
            .all()
            .collectList()
            .block();
    if (accounts == null || accounts.isEmpty()) {
      throw new IllegalStateException(
          "no customer account with "
              + ENTRIES
              + " or more entries:"
              + " run a transfer load first (load-tests/README.md)");
    }
    // What a cache rebuild stores: each entry's JSON under its seq, then the snapshot.
    Flux.fromIterable(accounts)
        .concatMap(
            account ->
                latest
                    .apply(account)
                    .collectList()
                    .flatMapMany(
                        newest -> {
                          List<String> arguments = new ArrayList<>();
                          arguments.add(Integer.toString(ENTRIES));
                          arguments.add(Long.toString(Duration.ofHours(1).toSeconds()));
                          for (SequencedEntry sequenced : newest) {
                            arguments.add(Long.toString(sequenced.seq()));
                            arguments.add(json.writeValueAsString(sequenced.entry()));
                          }
                          return redis
                              .delete(keys(account).toArray(String[]::new))
                              .thenMany(redis.execute(rebuild, keys(account), arguments))
                              .doOnNext(
                                  snapshot -> {
                                    if (json.readTree(snapshot).size() != ENTRIES) {
                                      throw new IllegalStateException(
                                          "snapshot of "
                                              + account
                                              + " is not "
                                              + ENTRIES
                                              + " entries");
                                    }
                                  });
                        }))
        .blockLast();

    // As in the API (RecentEntriesCache.recentJson): one GET of the snapshot from a
    // bounded-elastic thread; the answer's array as Redis holds it, nothing decoded or joined.
    Function<UUID, Mono<Answer>> fromRedis =
        account ->
            redis
                .opsForValue()
                .get(keys(account).get(1))
                .subscribeOn(Schedulers.boundedElastic())
                .switchIfEmpty(
                    Mono.error(
                        () -> new IllegalStateException("snapshot of " + account + " is missing")))
                // Its entries were counted when it was stored, above.
                .map(snapshot -> new Answer(ENTRIES, snapshot));
    // As in the API on a miss or with Redis down: the rows mapped, then encoded.
    Function<UUID, Mono<Answer>> fromPostgres =
        account ->
            latest
                .apply(account)
                .map(SequencedEntry::entry)
                .collectList()
                .map(list -> new Answer(list.size(), json.writeValueAsString(list)));

    Result redisResult =
        run("Redis (GET of the snapshot)", fromRedis, accounts, concurrency, measured);
    Result postgresResult =
        run(
            "PostgreSQL (the same query as the API, encoded; pool of 20)",
            fromPostgres,
            accounts,
            concurrency,
            measured);

    System.out.printf(
        "%n%d accounts, %d entries per read, %d reads in flight, %d s each%n%n",
        accounts.size(), ENTRIES, concurrency, measured.toSeconds());
    System.out.println("| path | reads/s | p50 | p99 | p99.9 |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    System.out.println(redisResult.row());
    System.out.println(postgresResult.row());
    System.out.printf(
        "%nRedis / PostgreSQL: %.1fx the reads per second%n",
        redisResult.perSecond() / postgresResult.perSecond());
    Flux.fromIterable(accounts)
        .concatMap(account -> redis.delete(keys(account).toArray(String[]::new)))
        .blockLast();
    redisFactory.destroy();
  }

  /** What a read yields: the JSON array of the answer, and how many entries it holds. */
  private record Answer(int entries, String json) {}

  private record Result(String path, double perSecond, long[] nanos) {
    String row() {
      return String.format(
          "| %s | %,.0f | %.2f ms | %.2f ms | %.2f ms |",
          path, perSecond, millis(0.50), millis(0.99), millis(0.999));
    }

    double millis(double quantile) {
      return nanos[(int) Math.min(nanos.length - 1, Math.ceil(quantile * nanos.length) - 1)] / 1e6;
    }
  }

  private static Result run(
      String path,
      Function<UUID, Mono<Answer>> read,
      List<UUID> accounts,
      int concurrency,
      Duration measured) {
    loop(read, accounts, concurrency, Duration.ofSeconds(5), null);
    LongList nanos = new LongList();
    long started = System.nanoTime();
    loop(read, accounts, concurrency, measured, nanos);
    double seconds = (System.nanoTime() - started) / 1e9;
    long[] sorted = nanos.toSortedArray();
    return new Result(path, sorted.length / seconds, sorted);
  }

  /** Keeps {@code concurrency} reads in flight until {@code duration} has passed. */
  private static void loop(
      Function<UUID, Mono<Answer>> read,
      List<UUID> accounts,
      int concurrency,
      Duration duration,
      LongList nanos) {
    long deadline = System.nanoTime() + duration.toNanos();
    Flux.range(0, concurrency)
        .flatMap(
            worker ->
                Mono.defer(
                        () -> {
                          UUID account =
                              accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
                          long start = System.nanoTime();
                          return read.apply(account)
                              .map(
                                  answer -> {
                                    if (answer.entries() != ENTRIES || answer.json().isEmpty()) {
                                      throw new IllegalStateException(
                                          account + ": " + answer.entries() + " entries");
                                    }
                                    return System.nanoTime() - start;
                                  });
                        })
                    .repeat(() -> System.nanoTime() < deadline),
            concurrency)
        // flatMap serialises onNext: one thread at a time appends.
        .doOnNext(
            elapsed -> {
              if (nanos != null) {
                nanos.add(elapsed);
              }
            })
        .blockLast();
  }

  /** A primitive growable list: a boxed list of a million samples would distort the run. */
  private static final class LongList {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] toSortedArray() {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted;
    }
  }

  /**
   * RecentEntriesRedis.keys under a prefix of the benchmark's own: the API's sets are left alone (a
   * member encoded differently would sit beside the API's own encoding of the same entry).
   */
  private static List<String> keys(UUID account) {
    String set = "paystream:bench:recent:{" + account + "}";
    return List.of(set, set + ":top");
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
