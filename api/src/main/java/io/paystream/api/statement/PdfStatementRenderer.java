package io.paystream.api.statement;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.HeaderFooter;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import io.paystream.domain.Direction;
import io.paystream.domain.MinorUnits;
import io.paystream.persistence.ledger.LedgerEntry;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * A statement as an A4 PDF (OpenPDF): who and what, the four totals, then every entry with its
 * balance after, between an opening and a closing row. Blocking CPU work: called only on the
 * statement render scheduler.
 */
final class PdfStatementRenderer {

  /** Entries table: date, description, counterparty, debit, credit, balance after. */
  private static final float[] ENTRY_COLUMN_WIDTHS = {14, 22, 26, 12.5f, 12.5f, 13};

  private static final float MARGIN_POINTS = 36;
  private static final Color RULE = new Color(0xB0, 0xB0, 0xB0);
  private static final Color SHADE = new Color(0xEE, 0xEE, 0xEE);
  private static final DateTimeFormatter ENTRY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter RENDER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final Font title = new Font(Font.HELVETICA, 16, Font.BOLD);
  private final Font subtitle = new Font(Font.HELVETICA, 10, Font.NORMAL, Color.DARK_GRAY);
  private final Font label = new Font(Font.HELVETICA, 8, Font.NORMAL, Color.DARK_GRAY);
  private final Font value = new Font(Font.HELVETICA, 9, Font.NORMAL);
  private final Font strong = new Font(Font.HELVETICA, 9, Font.BOLD);
  private final Font cell = new Font(Font.HELVETICA, 8, Font.NORMAL);
  private final Font cellStrong = new Font(Font.HELVETICA, 8, Font.BOLD);
  private final Font small = new Font(Font.HELVETICA, 6.5f, Font.NORMAL);

  byte[] render(Statement statement) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Document document =
        new Document(PageSize.A4, MARGIN_POINTS, MARGIN_POINTS, MARGIN_POINTS, MARGIN_POINTS);
    PdfWriter.getInstance(document, out);
    document.addTitle("Statement " + statement.month() + " of account " + statement.accountId());
    document.addCreator("Paystream");
    HeaderFooter footer =
        new HeaderFooter(
            new Phrase(
                "Paystream statement "
                    + statement.month()
                    + " · account "
                    + statement.accountId()
                    + " · page ",
                small),
            true);
    footer.setAlignment(Element.ALIGN_RIGHT);
    footer.setBorder(Rectangle.TOP);
    footer.setBorderColor(RULE);
    document.setFooter(footer);
    document.open();
    document.add(new Paragraph("Paystream account statement", title));
    document.add(new Paragraph(period(statement), subtitle));
    document.add(details(statement));
    document.add(totals(statement));
    document.add(entries(statement));
    document.close();
    return out.toByteArray();
  }

  private static String period(Statement statement) {
    String month =
        statement.month().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
            + " "
            + statement.month().getYear();
    return statement.isFinal()
        ? month + " · final"
        : month
            + " · provisional, the month is not over: entries until "
            + RENDER_TIME.format(statement.renderedAt());
  }

  private PdfPTable details(Statement statement) {
    PdfPTable table = new PdfPTable(new float[] {18, 82});
    table.setWidthPercentage(100);
    table.setSpacingBefore(12);
    row(table, "Account", statement.accountId().toString());
    row(table, "Owner", statement.ownerName() + " <" + statement.ownerEmail() + ">");
    row(table, "Currency", statement.currency().getCurrencyCode());
    row(
        table,
        "Period",
        statement.month().atDay(1) + " to " + statement.month().atEndOfMonth() + " (UTC)");
    row(table, "Rendered", RENDER_TIME.format(statement.renderedAt()));
    return table;
  }

  private void row(PdfPTable table, String name, String text) {
    table.addCell(plain(new Phrase(name, label), Element.ALIGN_LEFT));
    table.addCell(plain(new Phrase(text, value), Element.ALIGN_LEFT));
  }

  private PdfPTable totals(Statement statement) {
    PdfPTable table = new PdfPTable(4);
    table.setWidthPercentage(100);
    table.setSpacingBefore(12);
    table.setSpacingAfter(14);
    String code = " " + statement.currency().getCurrencyCode();
    String[] names = {"Opening balance", "Total debits", "Total credits", "Closing balance"};
    long[] amounts = {
      statement.openingBalance(),
      statement.debits(),
      statement.credits(),
      statement.closingBalance()
    };
    for (String name : names) {
      PdfPCell head = plain(new Phrase(name, label), Element.ALIGN_RIGHT);
      head.setBackgroundColor(SHADE);
      head.setPaddingTop(4);
      table.addCell(head);
    }
    for (long amount : amounts) {
      PdfPCell total =
          plain(new Phrase(money(statement, amount) + code, strong), Element.ALIGN_RIGHT);
      total.setBackgroundColor(SHADE);
      total.setPaddingBottom(6);
      table.addCell(total);
    }
    return table;
  }

  private PdfPTable entries(Statement statement) {
    PdfPTable table = new PdfPTable(ENTRY_COLUMN_WIDTHS);
    table.setWidthPercentage(100);
    // The column headings repeat on every page of a long month.
    table.setHeaderRows(1);
    String code = " (" + statement.currency().getCurrencyCode() + ")";
    String[] headings = {
      "Date (UTC)", "Description", "Counterparty", "Debit" + code, "Credit" + code, "Balance" + code
    };
    for (int column = 0; column < headings.length; column++) {
      // Text columns left, amount columns right, like the cells below them.
      PdfPCell head =
          ruled(
              new Phrase(headings[column], cellStrong),
              column < 3 ? Element.ALIGN_LEFT : Element.ALIGN_RIGHT);
      head.setBorderWidthBottom(1);
      head.setBorderColor(Color.DARK_GRAY);
      table.addCell(head);
    }
    summaryRow(
        table,
        statement.month().atDay(1) + "",
        "Opening balance",
        money(statement, statement.openingBalance()));
    if (statement.entries().isEmpty()) {
      PdfPCell none = ruled(new Phrase("No entries in this month.", cell), Element.ALIGN_LEFT);
      none.setColspan(ENTRY_COLUMN_WIDTHS.length);
      table.addCell(none);
    }
    for (LedgerEntry entry : statement.entries()) {
      table.addCell(
          ruled(new Phrase(ENTRY_TIME.format(entry.createdAt()), cell), Element.ALIGN_LEFT));
      table.addCell(
          ruled(
              new Phrase(entry.description() == null ? "" : entry.description(), cell),
              Element.ALIGN_LEFT));
      table.addCell(
          ruled(
              new Phrase(
                  entry.counterpartyAccountId() == null
                      ? "—"
                      : entry.counterpartyAccountId().toString(),
                  small),
              Element.ALIGN_LEFT));
      String amount = money(statement, entry.amount());
      table.addCell(
          ruled(
              new Phrase(entry.direction() == Direction.DEBIT ? amount : "", cell),
              Element.ALIGN_RIGHT));
      table.addCell(
          ruled(
              new Phrase(entry.direction() == Direction.CREDIT ? amount : "", cell),
              Element.ALIGN_RIGHT));
      table.addCell(
          ruled(new Phrase(money(statement, entry.balanceAfter()), cell), Element.ALIGN_RIGHT));
    }
    PdfPCell totalsLabel =
        ruled(new Phrase("Totals and closing balance", cellStrong), Element.ALIGN_LEFT);
    totalsLabel.setColspan(3);
    totalsLabel.setBorder(Rectangle.TOP);
    totalsLabel.setBorderWidthTop(1);
    table.addCell(totalsLabel);
    for (long amount :
        new long[] {statement.debits(), statement.credits(), statement.closingBalance()}) {
      PdfPCell total = ruled(new Phrase(money(statement, amount), cellStrong), Element.ALIGN_RIGHT);
      total.setBorder(Rectangle.TOP);
      total.setBorderWidthTop(1);
      table.addCell(total);
    }
    return table;
  }

  private void summaryRow(PdfPTable table, String date, String text, String balance) {
    table.addCell(ruled(new Phrase(date, cell), Element.ALIGN_LEFT));
    PdfPCell name = ruled(new Phrase(text, cellStrong), Element.ALIGN_LEFT);
    name.setColspan(4);
    table.addCell(name);
    table.addCell(ruled(new Phrase(balance, cellStrong), Element.ALIGN_RIGHT));
  }

  private static String money(Statement statement, long minorUnits) {
    return MinorUnits.format(minorUnits, statement.scale());
  }

  private static PdfPCell plain(Phrase phrase, int alignment) {
    PdfPCell cell = new PdfPCell(phrase);
    cell.setBorder(Rectangle.NO_BORDER);
    cell.setHorizontalAlignment(alignment);
    cell.setPadding(2);
    return cell;
  }

  private static PdfPCell ruled(Phrase phrase, int alignment) {
    PdfPCell cell = new PdfPCell(phrase);
    cell.setBorder(Rectangle.BOTTOM);
    cell.setBorderColor(RULE);
    cell.setBorderWidth(0.5f);
    cell.setHorizontalAlignment(alignment);
    cell.setVerticalAlignment(Element.ALIGN_MIDDLE);
    cell.setPaddingTop(3);
    cell.setPaddingBottom(4);
    return cell;
  }
}
