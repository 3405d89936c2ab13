package io.paystream.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

class WebhookUrlGuardTest {

  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);
  private final WebhookUrlGuard production = new WebhookUrlGuard(false, false);
  private final WebhookUrlGuard everythingAllowed = new WebhookUrlGuard(true, true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://localhost:8080/hook",
        "http://[::1]/hook",
        "http://10.0.0.1/hook",
        "http://172.16.5.4/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://[fe80::1]/hook",
        "http://2130706433/hook"
      })
  void urlsThatReachLoopbackPrivateOrLinkLocalAddressesAreRefused(String url) {
    production
        .check(url)
        .as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class)
        .verify(VERIFY_TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "gopher://x/",
        "javascript:alert(1)",
        "http:///nohost",
        "not a url",
        "",
        "http://user:pw@93.184.215.14/"
      })
  void urlsThatAreNotPlainHttpOrHttpsAreRefused(String url) {
    production
        .check(url)
        .as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class)
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void aPublicAddressIsAccepted() {
    production
        .check("https://93.184.215.14/hooks/paystream")
        .as(StepVerifier::create)
        .assertNext(uri -> assertThat(uri.getHost()).isEqualTo("93.184.215.14"))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  /** The finding's four, and one carrying a public address: the whole range is refused. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://[::127.0.0.1]/",
        "http://[::7f00:1]/",
        "http://[::10.0.0.1]/",
        "http://[::a9fe:a9fe]/",
        "http://[::8.8.8.8]/"
      })
  void deprecatedIpv4CompatibleAddressesAreRefusedWhateverTheyCarry(String url) {
    everythingAllowed
        .check(url)
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isInstanceOf(WebhookUrlGuard.RefusedUrlException.class)
                    .hasMessage("the host resolves to a deprecated IPv4-compatible address"))
        .verify(VERIFY_TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // NAT64 64:ff9b::/96: the IPv4 address in the last 32 bits.
        "http://[64:ff9b::127.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[64:ff9b::a00:1]/",
        // 6to4 2002::/16: the IPv4 address in bits 16..47.
        "http://[2002:7f00:1::1]/",
        "http://[2002:a9fe:a9fe::]/",
        "http://[2002:c0a8:101::1]/",
        // Teredo 2001::/32: a refused server (bits 32..63) or client (last 32 bits, inverted).
        "http://[2001:0:7f00:1::f7f7:f7f7]/",
        "http://[2001:0:808:808::80ff:fffe]/",
        "http://[2001:0:808:808::5601:5601]/",
        // IPv4-mapped ::ffff:0:0/96.
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/"
      })
  void ipv6FormsCarryingARefusedIpv4AddressAreRefused(String url) {
    production
        .check(url)
        .as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class)
        .verify(VERIFY_TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://[64:ff9b::8.8.8.8]/hook",
        "http://[2002:808:808::1]/hook",
        "http://[2001:0:808:808::f7f7:f7f7]/hook",
        "http://[::ffff:8.8.8.8]/hook",
        "http://[2606:4700:4700::1111]/hook",
        "http://8.8.8.8/hook"
      })
  void ipv6FormsCarryingAPublicIpv4AddressAndPlainPublicAddressesAreAccepted(String url) {
    production
        .check(url)
        .as(StepVerifier::create)
        .expectNextCount(1)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://[::]/",
        "http://0.1.2.3/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://240.0.0.1/",
        "http://198.18.0.1/",
        "http://192.0.2.1/",
        "http://198.51.100.7/",
        "http://203.0.113.9/",
        "http://192.0.0.8/",
        "http://192.88.99.1/",
        "http://[2001:db8::1]/",
        "http://[3fff::1]/",
        "http://[100::1]/",
        "http://[2001:2::1]/",
        "http://[fec0::1]/",
        "http://[ff02::1]/",
        "http://[::ffff:0:7f00:1]/",
        "http://[4000::1]/"
      })
  void specialPurposeAddressesThatNeverReceiveWebhooksAreRefusedWhateverIsAllowed(String url) {
    everythingAllowed
        .check(url)
        .as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class)
        .verify(VERIFY_TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://[64:ff9b:1::a00:1]/",
        "http://[fd12:3456::1]/",
        "http://[fe80::1]/",
        "http://100.64.0.1/",
        "http://169.254.169.254/"
      })
  void privateAndLocalUseRangesAreAcceptedOnlyWhenPrivateIsAllowed(String url) {
    production
        .check(url)
        .as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class)
        .verify(VERIFY_TIMEOUT);
    new WebhookUrlGuard(false, true)
        .check(url)
        .as(StepVerifier::create)
        .expectNextCount(1)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void aRefusalNamesTheFormAndTheAddressItCarries() throws Exception {
    assertThat(production.refusal(InetAddress.getByName("64:ff9b::169.254.169.254")))
        .isEqualTo("a NAT64 address carrying a link-local address");
    assertThat(production.refusal(InetAddress.getByName("2001:0:808:808::80ff:fffe")))
        .isEqualTo("a Teredo address carrying a loopback address");
    assertThat(production.refusal(InetAddress.getByName("::1"))).isEqualTo("a loopback address");
    assertThat(everythingAllowed.refusal(InetAddress.getByName("::")))
        .isEqualTo("the unspecified address");
  }

  @Test
  void loopbackIsAcceptedOnlyWhenConfigurationAllowsIt() {
    new WebhookUrlGuard(true, false)
        .check("http://127.0.0.1:9999/hook")
        .as(StepVerifier::create)
        .expectNextCount(1)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    new WebhookUrlGuard(true, false)
        .check("http://10.0.0.1/hook")
        .as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class)
        .verify(VERIFY_TIMEOUT);
  }
}
