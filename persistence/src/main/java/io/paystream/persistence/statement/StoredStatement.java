package io.paystream.persistence.statement;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * One rendered statement as stored: the exact bytes a download serves, their SHA-256, and whether
 * the month had closed when it was rendered ({@code isFinal}: never rendered again).
 *
 * @param format the upper-case format name, {@code PDF} or {@code CSV}
 */
public record StoredStatement(
    UUID accountId,
    YearMonth month,
    String format,
    byte[] content,
    byte[] sha256,
    Instant renderedAt,
    boolean isFinal) {}
