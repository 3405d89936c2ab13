package io.paystream.messaging.events;

import static io.paystream.messaging.events.EventRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.persistence.events.EventLogRow;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rows a resume missed, read from memory by route; and what the window no longer covers. */
class RecentWindowTest {

  private final UUID payer = UUID.randomUUID();
  private final UUID payee = UUID.randomUUID();
  private final UUID transfer = UUID.randomUUID();

  @Test
  void anAccountsResumeGetsTheRowsWhereItIsEitherPartyAfterItsPositionInOrder() {
    RecentWindow window = new RecentWindow(100);
    window.startWith(0, List.of());
    window.append(row(1, transfer, payer, payee));
    window.append(row(2, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()));
    window.append(row(3, UUID.randomUUID(), payee, null));
    window.append(row(4, UUID.randomUUID(), UUID.randomUUID(), payer));
    window.append(row(5, transfer, payer, payee));

    assertThat(seqs(window.after(0, Route.account(payer)))).containsExactly(1L, 4L, 5L);
    assertThat(seqs(window.after(1, Route.account(payee)))).containsExactly(3L, 5L);
    assertThat(seqs(window.after(5, Route.account(payer)))).isEmpty();
    assertThat(seqs(window.after(0, Route.account(UUID.randomUUID())))).isEmpty();
    assertThat(seqs(window.after(1, Route.resource(transfer)))).containsExactly(5L);
    assertThat(seqs(window.after(2, Route.everything()))).containsExactly(3L, 4L, 5L);
  }

  @Test
  void aRowNamingTheSameAccountTwiceIsReturnedOnce() {
    RecentWindow window = new RecentWindow(10);
    window.startWith(0, List.of());
    window.append(row(1, transfer, payer, payer));

    assertThat(seqs(window.after(0, Route.account(payer)))).containsExactly(1L);
  }

  @Test
  void rowsThatLeaveTheWindowLeaveItsIndexesAndResumesFromBeforeThemGoToTheLog() {
    RecentWindow window = new RecentWindow(3);
    window.startWith(0, List.of(row(1, transfer, payer, payee)));
    window.append(row(2, UUID.randomUUID(), payee, null));
    window.append(row(3, UUID.randomUUID(), payee, null));
    window.append(row(4, UUID.randomUUID(), payee, payer));
    window.append(row(5, UUID.randomUUID(), payee, null));

    // Rows 1 and 2 were dropped: the window covers positions from 2 on.
    assertThat(window.after(1, Route.account(payer))).isNull();
    assertThat(seqs(window.after(2, Route.account(payer)))).containsExactly(4L);
    assertThat(seqs(window.after(2, Route.resource(transfer)))).isEmpty();
    assertThat(seqs(window.after(2, Route.account(payee)))).containsExactly(3L, 4L, 5L);

    window.append(row(6, UUID.randomUUID(), payee, null));
    window.append(row(7, UUID.randomUUID(), payee, null));

    // Row 4, the payer's last, is gone too; nothing of the payer is left to find.
    assertThat(seqs(window.after(4, Route.account(payer)))).isEmpty();
    assertThat(seqs(window.after(4, Route.account(payee)))).containsExactly(5L, 6L, 7L);
  }

  @Test
  void aWindowBeforeItsStartCoversNothing() {
    RecentWindow window = new RecentWindow(10);

    assertThat(window.after(0, Route.account(payer))).isNull();
  }

  private static List<Long> seqs(List<EventLogRow> rows) {
    return rows.stream().map(EventLogRow::seq).toList();
  }
}
