package io.paystream.api.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Signed download links: only what was signed, only until it expires. */
class StatementLinksTest {

  private static final String KEY = "statement-link-test-key-0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");

  private final StatementLinks links =
      new StatementLinks(StatementSamples.properties(KEY, null, 900));
  private final StatementLinks.Grant grant =
      new StatementLinks.Grant(
          StatementSamples.ACCOUNT,
          YearMonth.of(2026, 10),
          StatementFormat.PDF,
          NOW.plusSeconds(900));

  @Test
  void aLinkVerifiesToWhatWasSignedUntilItExpires() {
    Map<String, List<String>> query = query(links.sign(grant));

    assertThat(links.verify(query, NOW)).isEqualTo(grant);
    assertThat(links.verify(query, NOW.plusSeconds(899))).isEqualTo(grant);
    assertThat(query.keySet()).containsExactly("account", "month", "format", "expires", "sig");
  }

  @Test
  void anExpiredLinkIsRefused() {
    Map<String, List<String>> query = query(links.sign(grant));

    assertInvalid(query, NOW.plusSeconds(900));
    assertInvalid(query, NOW.plusSeconds(86_400));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "account, 0192f0a0-2222-7000-8000-000000000002",
    "month, 2026-09",
    "format, csv",
    "expires, 4102444800",
    "sig, AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "sig, not base64!",
    "month, 2026-9",
    "format, PDF",
    "expires, soon"
  })
  void changingAnyParameterBreaksTheLink(String name, String value) {
    Map<String, String> signed = new LinkedHashMap<>(links.sign(grant));
    signed.put(name, value);

    assertInvalid(query(signed), NOW);
  }

  @Test
  void aLinkWithAMissingOrRepeatedParameterIsRefused() {
    for (String name : List.of("account", "month", "format", "expires", "sig")) {
      Map<String, List<String>> missing = query(links.sign(grant));
      missing.remove(name);
      assertInvalid(missing, NOW);
      Map<String, List<String>> repeated = query(links.sign(grant));
      repeated.put(name, List.of(repeated.get(name).get(0), repeated.get(name).get(0)));
      assertInvalid(repeated, NOW);
    }
  }

  @Test
  void aLinkSignedWithAnotherKeyIsRefused() {
    StatementLinks other =
        new StatementLinks(
            StatementSamples.properties("another-statement-link-key-0123456789", null, 900));

    assertInvalid(query(other.sign(grant)), NOW);
  }

  @Test
  void withoutASigningKeyOneIsDerivedFromTheJwtSecretAndDiffersFromIt() {
    String jwtSecret = "jwt-secret-for-the-derivation-test-0123456789";
    StatementLinks derived = new StatementLinks(StatementSamples.properties(null, jwtSecret, 900));
    StatementLinks keyedWithTheJwtSecret =
        new StatementLinks(StatementSamples.properties(jwtSecret, null, 900));

    assertThat(derived.verify(query(derived.sign(grant)), NOW)).isEqualTo(grant);
    assertThat(derived.sign(grant).get("sig"))
        .isNotEqualTo(keyedWithTheJwtSecret.sign(grant).get("sig"));
  }

  @Test
  void aSigningKeyShorterThanThirtyTwoBytesStopsStartUp() {
    assertThatThrownBy(
            () ->
                new StatementLinks(
                    StatementSamples.properties(
                        "too-short-key", "jwt-secret-0123456789abcdef0123456789", 900)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PAYSTREAM_STATEMENT_SIGNING_KEY");
    assertThatThrownBy(() -> new StatementLinks(StatementSamples.properties(null, null, 900)))
        .isInstanceOf(IllegalStateException.class);
  }

  private void assertInvalid(Map<String, List<String>> query, Instant at) {
    assertThatThrownBy(() -> links.verify(query, at))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.error()).isEqualTo(ApiError.DOWNLOAD_LINK_INVALID));
  }

  private static Map<String, List<String>> query(Map<String, String> parameters) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    parameters.forEach((name, value) -> query.put(name, List.of(value)));
    return query;
  }

  @Test
  void grantsForDifferentAccountsGetDifferentSignatures() {
    StatementLinks.Grant other =
        new StatementLinks.Grant(UUID.randomUUID(), grant.month(), grant.format(), grant.expires());

    assertThat(links.sign(other).get("sig")).isNotEqualTo(links.sign(grant).get("sig"));
  }
}
