package io.paystream.persistence.deposit;

import java.time.Instant;
import java.util.UUID;

/** A deposit as clients see it (CONTRACT.md, Money movement), in responses and in events. */
public record DepositDocument(
    UUID id,
    UUID accountId,
    long amount,
    String currency,
    String reference,
    String status,
    Instant createdAt) {}
