package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every journal balances per currency (DESIGN.md, invariants). The refusal properties are paired
 * with acceptance properties so that a {@link Journal} that refused everything would fail here too.
 */
class JournalPropertiesTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency USD = Currency.getInstance("USD");

  /** The posting rules, with the account each one debits and the one it credits. */
  enum Rule {
    DEPOSIT(JournalKind.DEPOSIT) {
      @Override
      Journal apply(UUID movementId, UUID debited, UUID credited, Money amount) {
        return PostingRules.deposit(movementId, debited, credited, amount);
      }
    },
    TRANSFER_DEBIT(JournalKind.TRANSFER_DEBIT) {
      @Override
      Journal apply(UUID movementId, UUID debited, UUID credited, Money amount) {
        return PostingRules.transferDebit(movementId, debited, credited, amount);
      }
    },
    TRANSFER_CREDIT(JournalKind.TRANSFER_CREDIT) {
      @Override
      Journal apply(UUID movementId, UUID debited, UUID credited, Money amount) {
        return PostingRules.transferCredit(movementId, debited, credited, amount);
      }
    },
    TRANSFER_REFUND(JournalKind.TRANSFER_REFUND) {
      @Override
      Journal apply(UUID movementId, UUID debited, UUID credited, Money amount) {
        return PostingRules.transferRefund(movementId, debited, credited, amount);
      }
    },
    WITHDRAWAL_DEBIT(JournalKind.WITHDRAWAL_DEBIT) {
      @Override
      Journal apply(UUID movementId, UUID debited, UUID credited, Money amount) {
        return PostingRules.withdrawalDebit(movementId, debited, credited, amount);
      }
    },
    WITHDRAWAL_PAYOUT(JournalKind.WITHDRAWAL_PAYOUT) {
      @Override
      Journal apply(UUID movementId, UUID debited, UUID credited, Money amount) {
        return PostingRules.withdrawalPayout(movementId, debited, credited, amount);
      }
    },
    WITHDRAWAL_REFUND(JournalKind.WITHDRAWAL_REFUND) {
      @Override
      Journal apply(UUID movementId, UUID debited, UUID credited, Money amount) {
        return PostingRules.withdrawalRefund(movementId, debited, credited, amount);
      }
    };

    final JournalKind kind;

    Rule(JournalKind kind) {
      this.kind = kind;
    }

    /**
     * Deposit: world -> account; debit: payer -> transit; credit: transit -> payee; refund: transit
     * -> payer.
     */
    abstract Journal apply(UUID movementId, UUID debited, UUID credited, Money amount);
  }

  record RuleCase(Rule rule, UUID movementId, UUID debited, UUID credited, Money amount) {}

  record Postings(String corruption, List<Posting> postings) {}

  @Test
  void everyPostingRuleCoversEveryJournalKind() {
    assertThat(List.of(Rule.values()).stream().map(rule -> rule.kind))
        .containsExactlyInAnyOrder(JournalKind.values());
  }

  @Test
  void everyPostingRuleJournalHasOneDebitAndOneCreditOfTheSameAmountAndSumsToZero() {
    PropertyCheck.forAll(
        random ->
            new RuleCase(
                Rule.values()[random.nextInt(Rule.values().length)],
                MoneySamples.accountId(random),
                MoneySamples.accountId(random),
                MoneySamples.accountId(random),
                MoneySamples.money(random)),
        sample -> {
          Journal journal =
              sample
                  .rule()
                  .apply(sample.movementId(), sample.debited(), sample.credited(), sample.amount());

          assertThat(journal.kind()).isEqualTo(sample.rule().kind);
          assertThat(journal.movementId()).isEqualTo(sample.movementId());
          assertThat(journal.id().version()).isEqualTo(7);
          assertThat(journal.postings())
              .containsExactlyInAnyOrder(
                  new Posting(sample.debited(), Direction.DEBIT, sample.amount()),
                  new Posting(sample.credited(), Direction.CREDIT, sample.amount()));
          assertThat(sumsByCurrency(journal.postings()))
              .containsOnly(Map.entry(sample.amount().currency(), 0L));
        });
  }

  @Test
  void anyBalancedSetOfPostingsAcrossAccountsIsAccepted() {
    PropertyCheck.forAll(
        JournalPropertiesTest::balancedPostings,
        postings -> {
          Journal journal = new Journal(Ids.newId(), JournalKind.DEPOSIT, Ids.newId(), postings);

          assertThat(journal.postings()).containsExactlyElementsOf(postings);
          assertThat(sumsByCurrency(journal.postings()))
              .allSatisfy((currency, sum) -> assertThat(sum).isZero());
        });
  }

  @Test
  void anyUnbalancedListOfPostingsIsRefused() {
    PropertyCheck.forAll(
        JournalPropertiesTest::unbalancedPostings,
        sample -> {
          // Guards the generator: each corruption must really unbalance some currency.
          assertThat(sumsByCurrency(sample.postings()).values())
              .anySatisfy(sum -> assertThat(sum).isNotZero());

          assertThatThrownBy(
                  () ->
                      new Journal(
                          Ids.newId(), JournalKind.TRANSFER_DEBIT, Ids.newId(), sample.postings()))
              .isInstanceOf(IllegalStateException.class)
              .message()
              .containsAnyOf("does not balance", "at least two postings");
        });
  }

  @Test
  void anyJournalWithinOneAccountIsRefused() {
    PropertyCheck.forAll(
        random ->
            new RuleCase(
                Rule.values()[random.nextInt(Rule.values().length)],
                MoneySamples.accountId(random),
                MoneySamples.accountId(random),
                null,
                MoneySamples.money(random)),
        sample -> {
          UUID account = sample.debited();

          assertThatThrownBy(
                  () -> sample.rule().apply(sample.movementId(), account, account, sample.amount()))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("within one account");
          assertThatThrownBy(
                  () ->
                      new Journal(
                          Ids.newId(),
                          sample.rule().kind,
                          sample.movementId(),
                          List.of(
                              new Posting(account, Direction.DEBIT, sample.amount()),
                              new Posting(account, Direction.CREDIT, sample.amount()),
                              new Posting(account, Direction.CREDIT, sample.amount()),
                              new Posting(account, Direction.DEBIT, sample.amount()))))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("within one account");
        });
  }

  @Test
  void journalThatBalancesOnlyAcrossCurrenciesIsRefused() {
    UUID payer = Ids.newId();
    UUID payee = Ids.newId();

    assertThatThrownBy(
            () ->
                new Journal(
                    Ids.newId(),
                    JournalKind.TRANSFER_CREDIT,
                    Ids.newId(),
                    List.of(
                        new Posting(payer, Direction.DEBIT, Money.of(100, EUR)),
                        new Posting(payee, Direction.CREDIT, Money.of(100, USD)))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not balance");
  }

  @Test
  void journalWithFewerThanTwoPostingsIsRefused() {
    Posting lone = new Posting(Ids.newId(), Direction.DEBIT, Money.of(1, EUR));

    assertThatThrownBy(() -> new Journal(Ids.newId(), JournalKind.DEPOSIT, Ids.newId(), List.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> new Journal(Ids.newId(), JournalKind.DEPOSIT, Ids.newId(), List.of(lone)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void journalKeepsItsOwnCopyOfThePostings() {
    List<Posting> postings =
        new ArrayList<>(
            List.of(
                new Posting(Ids.newId(), Direction.DEBIT, Money.of(5, EUR)),
                new Posting(Ids.newId(), Direction.CREDIT, Money.of(5, EUR))));
    Journal journal = new Journal(Ids.newId(), JournalKind.DEPOSIT, Ids.newId(), postings);

    postings.add(new Posting(Ids.newId(), Direction.CREDIT, Money.of(1, EUR)));

    assertThat(journal.postings()).hasSize(2);
    assertThatThrownBy(() -> journal.postings().add(postings.get(2)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void directionSignsTheBalanceEffect() {
    assertThat(Direction.CREDIT.signed(7)).isEqualTo(7);
    assertThat(Direction.DEBIT.signed(7)).isEqualTo(-7);
    assertThat(
            new Posting(Ids.newId(), Direction.DEBIT, Money.of(Money.AMOUNT_MAX, EUR))
                .signedMinorUnits())
        .isEqualTo(-Money.AMOUNT_MAX);
  }

  // --- generators and the independent oracle -----------------------------------------------

  /** Sum of signed minor units per currency, computed without {@link Journal}. */
  private static Map<Currency, Long> sumsByCurrency(List<Posting> postings) {
    Map<Currency, Long> sums = new HashMap<>();
    for (Posting posting : postings) {
      long signed =
          posting.direction() == Direction.CREDIT
              ? posting.amount().minorUnits()
              : -posting.amount().minorUnits();
      sums.merge(posting.amount().currency(), signed, Long::sum);
    }
    return sums;
  }

  /** 1..4 debit/credit pairs between two distinct accounts of a small pool, in any order. */
  private static List<Posting> balancedPostings(SplittableRandom random) {
    List<UUID> accounts =
        List.of(
            MoneySamples.accountId(random),
            MoneySamples.accountId(random),
            MoneySamples.accountId(random));
    List<Posting> postings = new ArrayList<>();
    for (int pairs = random.nextInt(1, 5); pairs > 0; pairs--) {
      int from = random.nextInt(accounts.size());
      int to = (from + random.nextInt(1, accounts.size())) % accounts.size();
      Money amount = MoneySamples.money(random);
      postings.add(new Posting(accounts.get(from), Direction.DEBIT, amount));
      postings.add(new Posting(accounts.get(to), Direction.CREDIT, amount));
    }
    Collections.shuffle(postings, new Random(random.nextLong()));
    return postings;
  }

  /** A balanced list with one corruption, or (one time in five) postings drawn independently. */
  private static Postings unbalancedPostings(SplittableRandom random) {
    List<Posting> postings = balancedPostings(random);
    int victim = random.nextInt(postings.size());
    Posting posting = postings.get(victim);
    Money amount = posting.amount();
    String corruption;
    switch (random.nextInt(6)) {
      case 0 -> {
        corruption = "amount nudged";
        long nudged =
            amount.minorUnits() == Money.AMOUNT_MAX
                ? amount.minorUnits() - 1
                : amount.minorUnits() + 1;
        postings.set(
            victim,
            new Posting(
                posting.accountId(), posting.direction(), Money.of(nudged, amount.currency())));
      }
      case 1 -> {
        corruption = "direction flipped";
        Direction flipped =
            posting.direction() == Direction.DEBIT ? Direction.CREDIT : Direction.DEBIT;
        postings.set(victim, new Posting(posting.accountId(), flipped, amount));
      }
      case 2 -> {
        corruption = "currency swapped";
        postings.set(
            victim,
            new Posting(
                posting.accountId(),
                posting.direction(),
                Money.of(
                    amount.minorUnits(), MoneySamples.otherCurrency(random, amount.currency()))));
      }
      case 3 -> {
        corruption = "posting dropped";
        postings.remove(victim);
      }
      case 4 -> {
        corruption = "posting duplicated";
        postings.add(posting);
      }
      default -> {
        corruption = "independent postings";
        postings = independentPostings(random);
      }
    }
    return new Postings(corruption, postings);
  }

  private static List<Posting> independentPostings(SplittableRandom random) {
    List<Posting> postings = new ArrayList<>();
    Currency currency = MoneySamples.currency(random);
    for (int count = random.nextInt(2, 7); count > 0; count--) {
      postings.add(
          new Posting(
              MoneySamples.accountId(random),
              random.nextBoolean() ? Direction.DEBIT : Direction.CREDIT,
              Money.of(random.nextLong(1, 4), currency)));
    }
    if (sumsByCurrency(postings).get(currency) == 0) {
      // Small amounts make accidental balance likely; one more unit breaks it again.
      postings.add(
          new Posting(MoneySamples.accountId(random), Direction.CREDIT, Money.of(1, currency)));
    }
    return postings;
  }
}
