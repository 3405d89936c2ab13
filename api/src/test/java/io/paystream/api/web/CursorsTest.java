package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.Cursors.TimeAndId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Page cursors: the server reads back only what it issued, for the list it issued it for. */
class CursorsTest {

  private static final String SECRET = "cursor-test-secret-0123456789abcdef";
  private static final UUID ID = UUID.fromString("0193a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b");
  private static final TimeAndId POSITION =
      new TimeAndId(Instant.parse("2026-11-30T23:59:59.123456Z"), ID);

  private final Cursors cursors = new Cursors(SECRET);

  @Test
  void aCursorReadsBackAsThePositionItWasIssuedFor() {
    assertThat(cursors.id(Kind.TRANSFERS, cursors.of(Kind.TRANSFERS, ID))).isEqualTo(ID);
    assertThat(cursors.timeAndId(Kind.ENTRIES, cursors.of(Kind.ENTRIES, POSITION)))
        .isEqualTo(POSITION);
    assertThat(cursors.id(Kind.TRANSFERS, null)).isNull();
    assertThat(cursors.timeAndId(Kind.ENTRIES, null)).isNull();
  }

  @Test
  void aCursorOfOneListIsRefusedByAnother() {
    String transfers = cursors.of(Kind.TRANSFERS, ID);

    assertRefused(() -> cursors.id(Kind.AUDIT_EVENTS, transfers));
    assertRefused(() -> cursors.id(Kind.DEAD_LETTERS, transfers));
  }

  @Test
  void aCursorSignedWithAnotherSecretIsRefused() {
    String foreign = new Cursors("another-secret-0123456789abcdefghij").of(Kind.TRANSFERS, ID);

    assertRefused(() -> cursors.id(Kind.TRANSFERS, foreign));
  }

  @Test
  void aChangedPositionBreaksTheSignature() {
    String issued = cursors.of(Kind.ENTRIES, POSITION);
    String tag = issued.substring(issued.indexOf('.'));
    // The probe's finding: a timestamp PostgreSQL cannot represent, under the old tag.
    String farFuture = base64("99999999999999:0:" + ID) + tag;

    assertRefused(() -> cursors.timeAndId(Kind.ENTRIES, farFuture));
  }

  @Test
  void aChangedTagIsRefused() {
    String issued = cursors.of(Kind.TRANSFERS, ID);
    // A character inside the tag: the last one also carries base64 padding bits.
    int at = issued.indexOf('.') + 5;
    String flipped =
        issued.substring(0, at) + (issued.charAt(at) == 'A' ? 'B' : 'A') + issued.substring(at + 1);

    assertRefused(() -> cursors.id(Kind.TRANSFERS, flipped));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "!!!",
        "Zm9v",
        "Zm9v.",
        ".Zm9v",
        "Zm9v.!!!",
        // The unsigned cursors of earlier versions: base64url of the id, of time:nanos:id.
        "MDE5M2EzYjQtNWM2ZC03ZThmLTlhMGItMWMyZDNlNGY1YTZi",
        "MToyOm5vdC1hLXV1aWQ"
      })
  void somethingTheServerDidNotIssueIsRefused(String cursor) {
    assertRefused(() -> cursors.id(Kind.TRANSFERS, cursor));
    assertRefused(() -> cursors.timeAndId(Kind.ENTRIES, cursor));
  }

  @Test
  void anOversizedCursorIsRefusedBeforeAnyDecoding() {
    String huge = "A".repeat(Cursors.LENGTH_MAX) + "." + "A".repeat(22);

    assertRefused(() -> cursors.id(Kind.TRANSFERS, huge));
  }

  @Test
  void aShortSecretIsRefusedAtStartUp() {
    assertThatThrownBy(() -> new Cursors("too-short"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PAYSTREAM_JWT_SECRET");
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            refused -> {
              assertThat(refused.error()).isEqualTo(ApiError.VALIDATION_FAILED);
              assertThat(refused.errors())
                  .extracting(ApiException.FieldError::field)
                  .containsExactly("cursor");
            });
  }
}
