package io.paystream.load;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The customers a setup phase registered, shared by the virtual users of the measured phase. Setup
 * adds; the measured phase only reads, so a copy-on-write list costs nothing there.
 */
final class CustomerPool {

  private final List<Customer> customers = new CopyOnWriteArrayList<>();

  Customer add(String email, Customer.Tokens tokens, List<Customer.Account> accounts) {
    synchronized (customers) {
      Customer customer = new Customer(customers.size(), email, tokens, accounts);
      customers.add(customer);
      return customer;
    }
  }

  int size() {
    return customers.size();
  }

  Customer get(int index) {
    return customers.get(index);
  }

  List<Customer> all() {
    return List.copyOf(customers);
  }

  Customer random() {
    int size = customers.size();
    if (size == 0) {
      throw new IllegalStateException("no customer finished setup: see the setup requests' errors");
    }
    return customers.get(ThreadLocalRandom.current().nextInt(size));
  }

  /** A customer other than {@code payer}: a transfer between two people, not to oneself. */
  Customer randomOtherThan(Customer payer) {
    int size = customers.size();
    if (size < 2) {
      throw new IllegalStateException("transfers between customers need at least 2 of them");
    }
    int pick = ThreadLocalRandom.current().nextInt(size - 1);
    return customers.get(pick >= payer.index() ? pick + 1 : pick);
  }
}
