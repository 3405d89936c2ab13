package io.paystream.api.testing;

import io.paystream.api.testing.MoneyAssertions.Snapshot;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.UUID;

/**
 * Alice and Bob, two customers with a fresh account each in one currency: Alice's funded, Bob's
 * empty. The accounts are new for every test, so that tests never see each other's money; the
 * customers are registered once per {@link Customers}, because registering and logging in are slow
 * by design.
 */
public record Parties(User alice, UUID aliceAccount, User bob, UUID bobAccount) {

  /** Both accounts' balances and entries, for proof that nothing moved. */
  public Snapshot snapshot(PaystreamClient client) {
    return MoneyAssertions.snapshot(client).of(alice, aliceAccount).of(bob, bobAccount).take();
  }

  /** Both accounts and one more of each customer. */
  public Snapshot snapshotWith(PaystreamClient client, UUID aliceOther, UUID bobOther) {
    return MoneyAssertions.snapshot(client)
        .of(alice, aliceAccount, aliceOther)
        .of(bob, bobAccount, bobOther)
        .take();
  }

  /**
   * Alice and Bob, registered on first use and kept. Held in a static field, they serve every test
   * of a class; in an instance field, each test registers its own.
   */
  public static final class Customers {

    private User alice;
    private User bob;

    /** Opens an account in {@code currency} for each, and funds Alice's unless told 0. */
    public Parties open(PaystreamClient client, String currency, long aliceFunds) {
      if (alice == null) {
        alice = client.newCustomer();
        bob = client.newCustomer();
      }
      UUID aliceAccount = client.openAccount(alice, currency);
      UUID bobAccount = client.openAccount(bob, currency);
      if (aliceFunds > 0) {
        client.deposit(alice, aliceAccount, aliceFunds, currency);
      }
      return new Parties(alice, aliceAccount, bob, bobAccount);
    }
  }
}
