package io.paystream.api.ops;

import io.paystream.api.auth.EmailAddresses;
import io.paystream.api.web.FieldChecks;
import io.paystream.domain.Metadata;
import io.paystream.persistence.account.AccountOwners;
import io.paystream.persistence.ops.MovementSearch;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Turns the query parameters of the operators' transfer and withdrawal searches into a {@link
 * MovementSearch}: every invalid parameter is reported at once (400 {@code validation_failed}), and
 * an e-mail becomes the ids of that customer's accounts, so the search itself runs on account
 * indexes.
 */
@Component
class MovementSearches {

  private final AccountOwners owners;

  MovementSearches(AccountOwners owners) {
    this.owners = owners;
  }

  /** The query parameters as they arrived; ids were already parsed by the framework. */
  record Parameters(
      String status,
      UUID accountId,
      String email,
      UUID id,
      String from,
      String to,
      String metadataKey,
      String metadataValue,
      UUID beforeId,
      int limit) {}

  /**
   * The search, or a 400 naming each invalid parameter. {@code statuses} are the status names the
   * kind of movement has.
   */
  Mono<MovementSearch> parse(Parameters parameters, Set<String> statuses) {
    FieldChecks checks = new FieldChecks();
    if (parameters.status() != null && !statuses.contains(parameters.status())) {
      checks.fail("status", "must be one of " + String.join(", ", statuses));
    }
    String email =
        parameters.email() == null
            ? null
            : EmailAddresses.normalise(checks, "email", parameters.email());
    Instant from = checks.instant("from", parameters.from());
    Instant to = checks.instant("to", parameters.to());
    if (from != null && to != null && !from.isBefore(to)) {
      checks.fail("to", "must be later than from");
    }
    Metadata metadata =
        checks.metadataPair(
            "metadataKey", parameters.metadataKey(), "metadataValue", parameters.metadataValue());
    checks.throwIfInvalid();
    Mono<List<UUID>> owned =
        email == null ? Mono.just(List.of()) : owners.accountIdsOf(email).collectList();
    return owned.map(
        accounts ->
            new MovementSearch(
                parameters.status(),
                parameters.accountId(),
                email == null ? null : accounts,
                parameters.id(),
                from,
                to,
                metadata,
                parameters.beforeId(),
                parameters.limit()));
  }
}
