package io.paystream.load;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registered user made during a simulation's setup phase and shared by every virtual user of the
 * measured phase: its credentials, its current tokens and its funded accounts.
 *
 * <p>Many virtual users act as one customer at once, so the tokens are swapped as a pair and only
 * one virtual user at a time may spend the refresh token (a spent one revokes the whole login).
 */
final class Customer {

  /** One funded account and what was deposited into it during setup (minor units). */
  record Account(String id, long depositedMinor) {}

  /** Transfer ids kept per customer for reads; older ones are dropped. */
  private static final int RECENT_TRANSFERS_MAX = 50;

  private final int index;
  private final String email;
  private final List<Account> accounts;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final Deque<String> recentTransferIds = new ArrayDeque<>();
  private volatile Tokens tokens;

  /** The pair from one login or refresh, and when to refresh it (epoch millis). */
  record Tokens(String access, String refresh, long refreshAtMillis) {}

  Customer(int index, String email, Tokens tokens, List<Account> accounts) {
    if (accounts.isEmpty()) {
      throw new IllegalArgumentException("a customer without accounts cannot take part");
    }
    this.index = index;
    this.email = email;
    this.tokens = tokens;
    this.accounts = List.copyOf(accounts);
  }

  int index() {
    return index;
  }

  String email() {
    return email;
  }

  List<Account> accounts() {
    return accounts;
  }

  Account randomAccount() {
    return accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
  }

  Tokens tokens() {
    return tokens;
  }

  /** True for exactly one caller once the access token is due, until {@link #refreshed}. */
  boolean claimRefresh() {
    return System.currentTimeMillis() >= tokens.refreshAtMillis()
        && refreshing.compareAndSet(false, true);
  }

  /** Ends a claim: with the new pair, or with null when the refresh failed (retried later). */
  void refreshed(Tokens newTokens) {
    if (newTokens != null) {
      tokens = newTokens;
    }
    refreshing.set(false);
  }

  synchronized void rememberTransfer(String transferId) {
    if (recentTransferIds.size() == RECENT_TRANSFERS_MAX) {
      recentTransferIds.removeFirst();
    }
    recentTransferIds.addLast(transferId);
  }

  /** A transfer this customer sent, or null when it has sent none yet. */
  synchronized String randomRecentTransfer() {
    if (recentTransferIds.isEmpty()) {
      return null;
    }
    int skip = ThreadLocalRandom.current().nextInt(recentTransferIds.size());
    return recentTransferIds.stream().skip(skip).findFirst().orElseThrow();
  }
}
