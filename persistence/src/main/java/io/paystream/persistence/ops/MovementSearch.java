package io.paystream.persistence.ops;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What operators search transfers and withdrawals by; every criterion is optional (null) and they
 * combine with AND. Results come newest first (ids are time-ordered), strictly before {@code
 * beforeId} when given.
 *
 * @param status the exact status name
 * @param accountId an account on either side of a transfer, or a withdrawal's account
 * @param ownedAccountIds the accounts of one customer (found by e-mail); an empty list matches
 *     nothing
 * @param id the exact id
 * @param from earliest {@code createdAt}, inclusive
 * @param to {@code createdAt} bound, exclusive
 */
public record MovementSearch(
    String status,
    UUID accountId,
    List<UUID> ownedAccountIds,
    UUID id,
    Instant from,
    Instant to,
    UUID beforeId,
    int limit) {

  public MovementSearch {
    ownedAccountIds = ownedAccountIds == null ? null : List.copyOf(ownedAccountIds);
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit);
    }
  }

  /** Whether the search is certain to find nothing: a customer without accounts. */
  public boolean matchesNothing() {
    return ownedAccountIds != null && ownedAccountIds.isEmpty();
  }
}
