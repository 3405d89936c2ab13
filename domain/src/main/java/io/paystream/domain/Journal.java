package io.paystream.domain;

import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A balanced set of postings recorded together. The constructor refuses any journal whose postings
 * do not sum to zero in every currency, or that moves money from an account to itself: such a
 * journal is a bug in a posting rule, never a client error.
 */
public record Journal(UUID id, JournalKind kind, UUID movementId, List<Posting> postings) {

  public Journal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(movementId, "movementId");
    postings = List.copyOf(postings);
    if (postings.size() < 2) {
      throw new IllegalStateException("a journal needs at least two postings: " + postings);
    }
    Map<Currency, Long> sums = new HashMap<>();
    for (Posting posting : postings) {
      sums.merge(posting.amount().currency(), posting.signedMinorUnits(), Math::addExact);
    }
    sums.forEach(
        (currency, sum) -> {
          if (sum != 0) {
            throw new IllegalStateException(
                "journal " + kind + " does not balance in " + currency + ": " + sum);
          }
        });
    if (postings.stream().map(Posting::accountId).distinct().count() < 2) {
      throw new IllegalStateException("journal " + kind + " moves money within one account");
    }
  }
}
