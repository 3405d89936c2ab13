package io.paystream.api.statement;

import io.paystream.api.ApiProperties;
import io.paystream.domain.Account;
import io.paystream.domain.AccountStatus;
import io.paystream.domain.Direction;
import io.paystream.persistence.ledger.LedgerEntry;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Hand-built statements and configuration for the unit tests of this package. */
final class StatementSamples {

  static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  static final UUID ACCOUNT = UUID.fromString("0192f0a0-1111-7000-8000-000000000001");
  static final UUID BOB = UUID.fromString("0192f0a0-2222-7000-8000-000000000002");
  static final Instant RENDERED = Instant.parse("2026-11-01T00:05:00Z");

  private StatementSamples() {}

  static Account account(String currency) {
    return new Account(
        ACCOUNT,
        UUID.randomUUID(),
        Currency.getInstance(currency),
        0,
        0,
        AccountStatus.ACTIVE,
        Instant.parse("2026-09-01T10:00:00Z"));
  }

  /** An entry of {@link #ACCOUNT}; its balance after is given, as the ledger stores it. */
  static LedgerEntry entry(
      String currency,
      Direction direction,
      long amount,
      long balanceAfter,
      UUID counterparty,
      String description,
      String at) {
    return new LedgerEntry(
        UUID.randomUUID(),
        UUID.randomUUID(),
        ACCOUNT,
        direction,
        amount,
        currency,
        balanceAfter,
        counterparty,
        description,
        Instant.parse(at));
  }

  /**
   * October: opening 1,000.00; salary 2,500.50 in; 1,234.56 to Bob; 0.07 back from Bob; closing
   * 2,266.01 EUR.
   */
  static Statement october() {
    List<LedgerEntry> entries =
        List.of(
            entry(
                "EUR",
                Direction.CREDIT,
                250_050,
                350_050,
                null,
                "salary, October",
                "2026-10-01T08:00:00Z"),
            entry(
                "EUR",
                Direction.DEBIT,
                123_456,
                226_594,
                BOB,
                "rent \"flat 3\"",
                "2026-10-03T12:30:00Z"),
            entry(
                "EUR",
                Direction.CREDIT,
                7,
                226_601,
                BOB,
                "coffee, paid back",
                "2026-10-31T23:59:59Z"));
    return Statement.of(
        account("EUR"),
        "Ann Example",
        "ann@example.com",
        OCTOBER,
        true,
        RENDERED,
        100_000,
        entries);
  }

  /** One entry whose description a spreadsheet would run as a formula. */
  static Statement formula() {
    return Statement.of(
        account("EUR"),
        "Ann Example",
        "ann@example.com",
        OCTOBER,
        true,
        RENDERED,
        0,
        List.of(
            entry(
                "EUR", Direction.CREDIT, 7, 7, BOB, "=HYPERLINK(\"x\")", "2026-10-31T23:59:59Z")));
  }

  /** {@code count} alternating deposits and payments, for a statement over several pages. */
  static Statement longMonth(int count) {
    List<LedgerEntry> entries = new ArrayList<>();
    long balance = 0;
    for (int i = 0; i < count; i++) {
      Direction direction = i % 3 == 2 ? Direction.DEBIT : Direction.CREDIT;
      long amount = 1_000 + i;
      balance = direction == Direction.CREDIT ? balance + amount : balance - amount;
      entries.add(
          entry(
              "EUR",
              direction,
              amount,
              balance,
              i % 2 == 0 ? null : BOB,
              "payment " + i,
              "2026-10-01T00:00:00Z"));
    }
    return Statement.of(
        account("EUR"), "Ann Example", "ann@example.com", OCTOBER, false, RENDERED, 0, entries);
  }

  /** Configuration with the statement defaults and {@code signingKey} / {@code jwtSecret}. */
  static ApiProperties properties(String signingKey, String jwtSecret, long linkTtlSeconds) {
    return new ApiProperties(
        jwtSecret,
        "paystream",
        "paystream-api",
        900,
        2_592_000,
        30,
        null,
        null,
        24,
        65_536,
        2,
        1_000,
        Map.of(),
        Map.of(),
        10,
        Map.of(),
        List.of(),
        new StatementProperties(
            signingKey, null, linkTtlSeconds, 300, 30, 2, 256, 20_000, true, 60, 3_600, 100),
        List.of());
  }
}
