package io.paystream.persistence.ledger;

import io.paystream.domain.Direction;
import java.time.Instant;
import java.util.UUID;

/**
 * One posting as the contract shows it: seen from {@code accountId}. {@code transferId} is the id
 * of the movement (transfer or deposit) that caused it. {@code seq} orders entries by insertion and
 * is not part of the public JSON.
 */
public record LedgerEntry(
    UUID id,
    UUID transferId,
    UUID accountId,
    Direction direction,
    long amount,
    String currency,
    Long balanceAfter,
    UUID counterpartyAccountId,
    String description,
    Instant createdAt) {}
