package io.paystream.api.statement;

import static io.paystream.api.statement.StatementSamples.ACCOUNT;
import static io.paystream.api.statement.StatementSamples.BOB;
import static io.paystream.api.statement.StatementSamples.OCTOBER;
import static io.paystream.api.statement.StatementSamples.RENDERED;
import static io.paystream.api.statement.StatementSamples.account;
import static io.paystream.api.statement.StatementSamples.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import io.paystream.domain.Direction;
import io.paystream.persistence.ledger.LedgerEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PDF and CSV renderings of a statement, read back the way a customer's tools read them. */
class StatementDocumentsTest {

  private final PdfStatementRenderer pdf = new PdfStatementRenderer();
  private final CsvStatementRenderer csv = new CsvStatementRenderer();

  @Test
  void theModelTotalsDebitsAndCreditsAndChainsFromOpeningToClosing() {
    Statement october = StatementSamples.october();

    assertThat(october.openingBalance()).isEqualTo(100_000);
    assertThat(october.credits()).isEqualTo(250_057);
    assertThat(october.debits()).isEqualTo(123_456);
    assertThat(october.closingBalance()).isEqualTo(226_601);
  }

  @Test
  void aBrokenBalanceChainIsRefusedBeforeAnythingIsRendered() {
    List<LedgerEntry> broken =
        List.of(
            entry("EUR", Direction.CREDIT, 500, 500, null, "in", "2026-10-01T00:00:00Z"),
            entry("EUR", Direction.DEBIT, 100, 450, BOB, "out", "2026-10-02T00:00:00Z"));

    assertThatThrownBy(
            () ->
                Statement.of(
                    account("EUR"), "Ann", "ann@example.com", OCTOBER, true, RENDERED, 0, broken))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("balance chain");
  }

  @Test
  void anEntryOfAnotherCurrencyIsRefused() {
    List<LedgerEntry> mixed =
        List.of(entry("JPY", Direction.CREDIT, 500, 500, null, "in", "2026-10-01T00:00:00Z"));

    assertThatThrownBy(
            () ->
                Statement.of(
                    account("EUR"), "Ann", "ann@example.com", OCTOBER, true, RENDERED, 0, mixed))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void thePdfStatesAccountOwnerMonthBalancesTotalsAndEveryEntry() throws IOException {
    byte[] rendered = pdf.render(StatementSamples.october());
    // The README's example image is made from this file (pdftoppm, see README "Statements").
    Files.write(Path.of("target", "statement-example.pdf"), rendered);

    assertThat(new String(rendered, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    String text = text(rendered);
    assertThat(text)
        .contains(
            "Paystream account statement",
            "October 2026",
            "final",
            ACCOUNT.toString(),
            "Ann Example",
            "ann@example.com",
            "EUR",
            "2026-10-01 to 2026-10-31");
    assertThat(text)
        .contains(
            "Opening balance",
            "Total debits",
            "Total credits",
            "Closing balance",
            "1000.00 EUR",
            "1234.56 EUR",
            "2500.57 EUR",
            "2266.01 EUR");
    assertThat(text).contains("2026-10-01 08:00", "salary, October", "2500.50", "3500.50");
    assertThat(text)
        .contains("2026-10-03 12:30", "rent \"flat 3\"", "1234.56", "2265.94", BOB.toString());
    assertThat(text).contains("2026-10-31 23:59", "coffee, paid back", "0.07", "2266.01");
    assertThat(text.indexOf("salary, October")).isLessThan(text.indexOf("rent"));
  }

  @Test
  void amountsAreWrittenWithTheCurrencysExponent() throws IOException {
    Statement yen =
        Statement.of(
            account("JPY"),
            "Ann",
            "ann@example.com",
            OCTOBER,
            true,
            RENDERED,
            0,
            List.of(
                entry(
                    "JPY",
                    Direction.CREDIT,
                    1_234_567,
                    1_234_567,
                    null,
                    "in",
                    "2026-10-01T00:00:00Z")));
    Statement dinar =
        Statement.of(
            account("KWD"),
            "Ann",
            "ann@example.com",
            OCTOBER,
            true,
            RENDERED,
            5,
            List.of(
                entry(
                    "KWD",
                    Direction.CREDIT,
                    1_234_567,
                    1_234_572,
                    null,
                    "in",
                    "2026-10-01T00:00:00Z")));

    assertThat(text(pdf.render(yen))).contains("1234567 JPY").doesNotContain("1234567.");
    assertThat(text(pdf.render(dinar))).contains("0.005 KWD", "1234.567", "1234.572 KWD");
    assertThat(new String(csv.render(dinar), StandardCharsets.UTF_8))
        .contains(",1234567,1234.567,1234572,1234.572,KWD\r\n");
  }

  @Test
  void aMonthWithoutEntriesStillStatesItsBalance() throws IOException {
    Statement quiet =
        Statement.of(
            account("EUR"), "Ann", "ann@example.com", OCTOBER, true, RENDERED, 4_200, List.of());

    String text = text(pdf.render(quiet));

    assertThat(quiet.closingBalance()).isEqualTo(4_200);
    assertThat(text).contains("No entries in this month.", "42.00 EUR", "0.00 EUR");
  }

  @Test
  void aLongMonthRunsOverSeveralPagesWithEveryEntryAndNumberedPages() throws IOException {
    Statement busy = StatementSamples.longMonth(150);

    byte[] rendered = pdf.render(busy);
    PdfReader reader = new PdfReader(rendered);
    int pages = reader.getNumberOfPages();
    StringBuilder all = new StringBuilder();
    PdfTextExtractor extractor = new PdfTextExtractor(reader);
    for (int page = 1; page <= pages; page++) {
      String text = extractor.getTextFromPage(page);
      assertThat(text).as("page %d", page).contains("page " + page, "Date (UTC)");
      all.append(text).append('\n');
    }
    reader.close();

    assertThat(pages).isGreaterThan(2);
    for (int i = 0; i < 150; i++) {
      // Cells are extracted without separators: the description runs into the counterparty.
      assertThat(all.toString())
          .as("entry %d", i)
          .containsPattern("payment " + i + "(—|" + BOB + ")");
    }
    assertThat(all.toString()).contains("provisional");
  }

  @Test
  void theCsvHasAHeaderAndOneQuotedRowPerEntryInMinorUnitsAndFormatted() {
    String text = new String(csv.render(StatementSamples.october()), StandardCharsets.UTF_8);
    String[] lines = text.split("\r\n", -1);

    assertThat(lines).hasSize(5);
    assertThat(lines[4]).isEmpty();
    assertThat(lines[0])
        .isEqualTo(
            "date,entry_id,transfer_id,description,"
                + "counterparty_account_id,direction,amount_minor_units,amount,"
                + "balance_after_minor_units,balance_after,currency");
    assertThat(lines[1])
        .startsWith("2026-10-01T08:00:00Z,")
        .endsWith(",\"salary, October\",,CREDIT,250050,2500.50,350050,3500.50,EUR");
    assertThat(lines[2])
        .endsWith(",\"rent \"\"flat 3\"\"\"," + BOB + ",DEBIT,123456,1234.56,226594,2265.94,EUR");
    assertThat(lines[3])
        .endsWith(",\"coffee, paid back\"," + BOB + ",CREDIT,7,0.07,226601,2266.01,EUR");
    assertThat(new String(csv.render(StatementSamples.formula()), StandardCharsets.UTF_8))
        .contains(",\"'=HYPERLINK(\"\"x\"\")\"," + BOB + ",CREDIT,7,0.07,7,0.07,EUR\r\n");
  }

  @Test
  void csvQuotingFollowsRfc4180AndFormulasAreDefused() {
    assertThat(CsvStatementRenderer.quoted("plain")).isEqualTo("plain");
    assertThat(CsvStatementRenderer.quoted("a,b")).isEqualTo("\"a,b\"");
    assertThat(CsvStatementRenderer.quoted("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(CsvStatementRenderer.quoted("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(CsvStatementRenderer.quoted("cr\rhere")).isEqualTo("\"cr\rhere\"");
    for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tx")) {
      assertThat(CsvStatementRenderer.text(formula)).isEqualTo("'" + formula);
    }
    assertThat(CsvStatementRenderer.text("rent 1-3")).isEqualTo("rent 1-3");
    assertThat(CsvStatementRenderer.text(null)).isEmpty();
  }

  static String text(byte[] pdfBytes) throws IOException {
    PdfReader reader = new PdfReader(pdfBytes);
    try {
      PdfTextExtractor extractor = new PdfTextExtractor(reader);
      StringBuilder text = new StringBuilder();
      for (int page = 1; page <= reader.getNumberOfPages(); page++) {
        text.append(extractor.getTextFromPage(page)).append('\n');
      }
      return text.toString();
    } finally {
      reader.close();
    }
  }
}
