package io.paystream.api.statement;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/** CONTRACT.md, History and statements: statement links, and downloads through them. */
class StatementIntegrationTest extends ApiIntegrationTest {

  /** The default link lifetime (StatementProperties). */
  private static final long LINK_TTL_SECONDS = 900;

  /**
   * Ann's EUR account, opened in January 2001 with 100.00; in February 2001 a salary of 25.50 in
   * and rent of 10.00 out: opening 100.00, closing 115.50. Built once, only read.
   */
  private record Past(User ann, UUID account) {}

  private static Past past;

  @Autowired private StatementRendering rendering;

  @Autowired private StatementLinks links;

  @BeforeEach
  void seedOnce() {
    if (past != null) {
      return;
    }
    User ann = client.newCustomer();
    client.openAccount(ann, "EUR");
    UUID account =
        PastLedger.open(ann.id(), "EUR", "2001-01-05T09:00:00Z")
            .credit(10_000, "2001-01-05T09:30:00Z", "opening deposit")
            .credit(2_550, "2001-02-01T08:00:00Z", "salary")
            .debit(1_000, "2001-02-27T18:15:00Z", "rent")
            .write();
    past = new Past(ann, account);
  }

  @Test
  void aClosedMonthsLinkIsFinalAndItsPdfStatesOpeningEntriesTotalsAndClosing() throws IOException {
    JsonNode link = client.get(past.ann, statements(past.account, "2001-02"));

    assertThat(link.propertyNames())
        .containsExactlyInAnyOrder("month", "format", "downloadUrl", "expiresAt", "final");
    assertThat(link.get("month").asString()).isEqualTo("2001-02");
    assertThat(link.get("format").asString()).isEqualTo("pdf");
    assertThat(link.get("final").asBoolean()).isTrue();
    assertThat(Instant.parse(link.get("expiresAt").asString()).getEpochSecond())
        .isCloseTo(Instant.now().plusSeconds(LINK_TTL_SECONDS).getEpochSecond(), within(10L));
    EntityExchangeResult<byte[]> file = download(link);
    assertThat(file.getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(file.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PDF);
    assertThat(file.getResponseHeaders().getContentDisposition().getFilename())
        .isEqualTo("statement-" + past.account + "-2001-02.pdf");
    String text = StatementDocumentsTest.text(file.getResponseBody());
    assertThat(text)
        .contains(past.account.toString(), "February 2001", "final", "EUR", past.ann.email());
    assertThat(text)
        .contains(
            "Opening balance",
            "100.00 EUR",
            "Total debits",
            "10.00 EUR",
            "Total credits",
            "25.50 EUR",
            "Closing balance",
            "115.50 EUR");
    assertThat(text)
        .contains("2001-02-01 08:00", "salary", "125.50", "2001-02-27 18:15", "rent", "115.50")
        .doesNotContain("opening deposit");
  }

  @Test
  void theCsvOfAClosedMonthHasAHeaderAndItsEntriesInMinorUnits() {
    JsonNode link = client.get(past.ann, statements(past.account, "2001-02") + "?format=csv");

    EntityExchangeResult<byte[]> file = download(link);

    assertThat(link.get("format").asString()).isEqualTo("csv");
    assertThat(file.getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(
            file.getResponseHeaders()
                .getContentType()
                .isCompatibleWith(MediaType.parseMediaType("text/csv")))
        .isTrue();
    String[] lines = new String(file.getResponseBody(), StandardCharsets.UTF_8).split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo(String.join(",", CsvStatementRenderer.HEADER));
    assertThat(lines[1])
        .startsWith("2001-02-01T08:00:00Z,")
        .endsWith(",salary,,CREDIT,2550,25.50,12550,125.50,EUR");
    assertThat(lines[2])
        .startsWith("2001-02-27T18:15:00Z,")
        .endsWith(",rent,,DEBIT,1000,10.00,11550,115.50,EUR");
  }

  @Test
  void aClosedMonthIsRenderedOnceAndServedAsStoredAfterwards() {
    User owner = client.newCustomer();
    client.openAccount(owner, "EUR");
    UUID account =
        PastLedger.open(owner.id(), "EUR", "2001-03-02T10:00:00Z")
            .credit(700, "2001-03-03T10:00:00Z", "gift")
            .write();
    long before = rendering.renderedCount(StatementFormat.PDF);

    JsonNode first = client.get(owner, statements(account, "2001-03"));
    JsonNode second = client.get(owner, statements(account, "2001-03"));
    EntityExchangeResult<byte[]> firstFile = download(first);
    EntityExchangeResult<byte[]> secondFile = download(second);

    assertThat(rendering.renderedCount(StatementFormat.PDF) - before).isEqualTo(1);
    assertThat(secondFile.getResponseBody()).isEqualTo(firstFile.getResponseBody());
    assertThat(secondFile.getResponseHeaders().getETag())
        .isEqualTo(firstFile.getResponseHeaders().getETag())
        .isNotBlank();
  }

  @Test
  void theCurrentMonthIsProvisionalAndShowsEachNewEntry() throws IOException {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, 1_000, "EUR");
    String month = YearMonth.now(ZoneOffset.UTC).toString();

    JsonNode first = client.get(owner, statements(account, month));
    String firstText = StatementDocumentsTest.text(download(first).getResponseBody());
    client.deposit(owner, account, 550, "EUR");
    JsonNode second = client.get(owner, statements(account, month));
    String secondText = StatementDocumentsTest.text(download(second).getResponseBody());

    assertThat(first.get("final").asBoolean()).isFalse();
    assertThat(firstText)
        .contains("provisional", "Closing balance", "10.00 EUR")
        .doesNotContain("15.50");
    assertThat(secondText).contains("provisional", "15.50 EUR", "5.50");
  }

  @Test
  void aDownloadLinkWorksWithoutAnyTokenButNotWithAStrangersOne() {
    JsonNode link = client.get(past.ann, statements(past.account, "2001-02"));
    User stranger = client.newCustomer();

    EntityExchangeResult<byte[]> anonymous = download(link);
    EntityExchangeResult<byte[]> withStrangersToken =
        http.get()
            .uri(URI.create(link.get("downloadUrl").asString()))
            .headers(h -> h.setBearerAuth(stranger.token()))
            .exchange()
            .expectBody()
            .returnResult();

    assertThat(anonymous.getStatus()).isEqualTo(HttpStatus.OK);
    assertThat(anonymous.getResponseHeaders().getCacheControl()).contains("no-store");
    // The link is the credential: whoever holds it may download, as with any signed URL.
    assertThat(withStrangersToken.getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void aTamperedLinkIsForbidden() {
    JsonNode link = client.get(past.ann, statements(past.account, "2001-02"));
    String url = link.get("downloadUrl").asString();
    UUID annsOtherAccount = client.openAccount(past.ann, "EUR");
    String sig = UriComponentsBuilder.fromUriString(url).build().getQueryParams().getFirst("sig");
    String flipped = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);

    for (String tampered :
        List.of(
            replace(url, "sig", flipped),
            replace(url, "month", "2001-01"),
            replace(url, "format", "csv"),
            replace(url, "account", annsOtherAccount.toString()),
            replace(
                url,
                "expires",
                Long.toString(Instant.now().plus(365, ChronoUnit.DAYS).getEpochSecond())),
            UriComponentsBuilder.fromUriString(url).replaceQueryParam("sig").toUriString())) {
      EntityExchangeResult<byte[]> result =
          http.get().uri(URI.create(tampered)).exchange().expectBody().returnResult();
      assertProblem(result, HttpStatus.FORBIDDEN, "download_link_invalid");
    }
  }

  @Test
  void anExpiredLinkIsForbidden() {
    StatementLinks.Grant expired =
        new StatementLinks.Grant(
            past.account,
            YearMonth.of(2001, 2),
            StatementFormat.PDF,
            Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS));
    UriComponentsBuilder url = UriComponentsBuilder.fromPath(StatementLinks.PATH);
    links.sign(expired).forEach(url::queryParam);
    client.get(past.ann, statements(past.account, "2001-02"));

    EntityExchangeResult<byte[]> result =
        http.get().uri(url.toUriString()).exchange().expectBody().returnResult();

    JsonNode problem = assertProblem(result, HttpStatus.FORBIDDEN, "download_link_invalid");
    assertThat(problem.get("detail").asString()).contains("expired");
  }

  @Test
  void aStrangerGetsNotFoundAndOpsGetsALink() {
    User stranger = client.newCustomer();

    EntityExchangeResult<byte[]> strangers =
        http.get()
            .uri(statements(past.account, "2001-02"))
            .headers(h -> h.setBearerAuth(stranger.token()))
            .exchange()
            .expectBody()
            .returnResult();
    EntityExchangeResult<byte[]> unknown =
        http.get()
            .uri(statements(UUID.randomUUID(), "2001-02"))
            .headers(h -> h.setBearerAuth(past.ann.token()))
            .exchange()
            .expectBody()
            .returnResult();
    JsonNode opsLink = client.get(client.ops(), statements(past.account, "2001-02"));

    assertProblem(strangers, HttpStatus.NOT_FOUND, "account_not_found");
    assertProblem(unknown, HttpStatus.NOT_FOUND, "account_not_found");
    assertThat(download(opsLink).getStatus()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void askingForALinkNeedsABearerToken() {
    EntityExchangeResult<byte[]> result =
        http.get().uri(statements(past.account, "2001-02")).exchange().expectBody().returnResult();

    assertProblem(result, HttpStatus.UNAUTHORIZED, "unauthorized");
    assertThat(result.getResponseHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "2001-13",
        "2001-2",
        "01-02",
        "2001-02-01",
        "abc",
        "2000-12",
        "2999-01",
        "2001-02?format=xls",
        "2001-02?format=PDF"
      })
  void aBadMonthOrFormatIsRefusedWithValidationFailed(String monthAndQuery) {
    EntityExchangeResult<byte[]> result =
        http.get()
            .uri(statements(past.account, monthAndQuery))
            .headers(h -> h.setBearerAuth(past.ann.token()))
            .exchange()
            .expectBody()
            .returnResult();

    JsonNode problem = assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed");
    assertThat(errorFields(problem))
        .containsExactly(monthAndQuery.contains("format") ? "format" : "month");
  }

  @Test
  void theOpenApiDocumentListsTheDownloadAsPublicWithItsSignedParameters() {
    JsonNode document =
        PaystreamClient.json(
            http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());

    JsonNode download = document.get("paths").get(StatementLinks.PATH).get("get");
    JsonNode link =
        document.get("paths").get("/api/v1/accounts/{id}/statements/{month}").get("get");

    assertThat(download.get("security").isEmpty()).as("no bearer token").isTrue();
    assertThat(download.get("parameters").valueStream().map(p -> p.get("name").asString()))
        .containsExactlyInAnyOrder("account", "month", "format", "expires", "sig");
    assertThat(download.get("responses").has("403")).isTrue();
    assertThat(link.has("security")).as("the link request needs the bearer token").isFalse();
    assertThat(link.get("responses").has("404")).isTrue();
  }

  // --- helpers --------------------------------------------------------------------------------

  private EntityExchangeResult<byte[]> download(JsonNode link) {
    return http.get()
        .uri(URI.create(link.get("downloadUrl").asString()))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static String replace(String url, String name, String value) {
    return UriComponentsBuilder.fromUriString(url).replaceQueryParam(name, value).toUriString();
  }

  private static String statements(UUID account, String month) {
    return "/api/v1/accounts/" + account + "/statements/" + month;
  }
}
