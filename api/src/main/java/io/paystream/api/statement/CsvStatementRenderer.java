package io.paystream.api.statement;

import io.paystream.domain.MinorUnits;
import io.paystream.persistence.ledger.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A statement as RFC 4180 CSV: a header row, then one row per entry in balance order, CRLF line
 * ends, UTF-8. Amounts twice: as integer minor units (for machines, exact) and formatted with the
 * currency's exponent (for people). Opening and closing balances follow from the first and last
 * rows' {@code balance_after}; the PDF states them.
 */
final class CsvStatementRenderer {

  static final List<String> HEADER =
      List.of(
          "date",
          "entry_id",
          "transfer_id",
          "description",
          "counterparty_account_id",
          "direction",
          "amount_minor_units",
          "amount",
          "balance_after_minor_units",
          "balance_after",
          "currency");

  private static final String LINE_END = "\r\n";

  byte[] render(Statement statement) {
    StringBuilder csv = new StringBuilder();
    line(csv, HEADER);
    int scale = statement.scale();
    String currency = statement.currency().getCurrencyCode();
    for (LedgerEntry entry : statement.entries()) {
      line(
          csv,
          List.of(
              entry.createdAt().toString(),
              entry.id().toString(),
              entry.transferId().toString(),
              text(entry.description()),
              entry.counterpartyAccountId() == null ? "" : entry.counterpartyAccountId().toString(),
              entry.direction().name(),
              Long.toString(entry.amount()),
              MinorUnits.format(entry.amount(), scale),
              Long.toString(entry.balanceAfter()),
              MinorUnits.format(entry.balanceAfter(), scale),
              currency));
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder csv, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      csv.append(quoted(fields.get(i)));
    }
    csv.append(LINE_END);
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
  static String quoted(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\r') < 0
        && field.indexOf('\n') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  /**
   * Free text in a statement is written by other people (a payer's transfer description lands on
   * the payee's statement). Spreadsheets run a cell that starts with = + - @ or a tab as a formula,
   * so such text is prefixed with an apostrophe (OWASP "CSV injection").
   */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    char first = value.charAt(0);
    if (first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r') {
      return "'" + value;
    }
    return value;
  }
}
