package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** X-Forwarded-For names the client only when a trusted proxy sent it. */
class ClientAddressTest {

  private static final ClientAddress BEHIND_PROXIES =
      new ClientAddress(TrustedProxies.of(List.of("127.0.0.2/32", "10.0.0.0/8", "fd00::/8")));

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    ClientAddress direct = new ClientAddress(TrustedProxies.none());

    assertThat(direct.of(request("127.0.0.2", "203.0.113.7"))).isEqualTo("127.0.0.2");
  }

  @Test
  void anUntrustedPeersHeaderIsIgnored() {
    assertThat(BEHIND_PROXIES.of(request("198.51.100.1", "203.0.113.7"))).isEqualTo("198.51.100.1");
  }

  @Test
  void aTrustedProxyNamesTheClient() {
    assertThat(BEHIND_PROXIES.of(request("127.0.0.2", "203.0.113.7"))).isEqualTo("203.0.113.7");
  }

  @Test
  void theRightmostEntryThatIsNotAProxyIsTheClientWhateverTheClientWroteBeforeIt() {
    // The client forged "1.2.3.4"; the edge proxy appended the real address, an inner proxy its
    // own.
    assertThat(BEHIND_PROXIES.of(request("127.0.0.2", "1.2.3.4, 203.0.113.7, 10.1.2.3")))
        .isEqualTo("203.0.113.7");
    // Padding left of the client changes nothing, even garbage.
    assertThat(BEHIND_PROXIES.of(request("127.0.0.2", "not an address, 203.0.113.7")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void severalHeaderLinesAreOneListInOrder() {
    MockServerHttpRequest request =
        MockServerHttpRequest.get("/")
            .remoteAddress(new InetSocketAddress(address("127.0.0.2"), 40000))
            .header("X-Forwarded-For", "1.2.3.4")
            .header("X-Forwarded-For", "203.0.113.7")
            .build();

    assertThat(BEHIND_PROXIES.of(request)).isEqualTo("203.0.113.7");
  }

  @Test
  void ipv6ClientsAndProxiesAreUnderstood() {
    assertThat(BEHIND_PROXIES.of(request("fd00::2", "2001:db8::1")))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(BEHIND_PROXIES.of(request("fd00::2", "[2001:db8::2], fd12::1")))
        .isEqualTo("2001:db8:0:0:0:0:0:2");
    assertThat(BEHIND_PROXIES.of(request("127.0.0.2", "203.0.113.7, fd00::9")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void whenEveryEntryIsAProxyTheLeftmostIsTheClosestToTheClient() {
    assertThat(BEHIND_PROXIES.of(request("127.0.0.2", "10.0.0.9, 10.0.0.8"))).isEqualTo("10.0.0.9");
  }

  @Test
  void aMalformedEntryWhereTheClientShouldBeFallsBackToThePeer() {
    for (String garbage :
        List.of(
            "",
            " ",
            "unknown",
            "example.com",
            "203.0.113.7:4711",
            "256.1.1.1",
            "1.2.3",
            "203.0.113.7,",
            "::g",
            "_hidden",
            "1.2.3.4.5",
            "x".repeat(200))) {
      assertThat(BEHIND_PROXIES.of(request("127.0.0.2", garbage)))
          .as(garbage)
          .isEqualTo("127.0.0.2");
    }
  }

  @Test
  void withoutTheHeaderATrustedPeerIsItselfTheClient() {
    MockServerHttpRequest request =
        MockServerHttpRequest.get("/")
            .remoteAddress(new InetSocketAddress(address("127.0.0.2"), 40000))
            .build();

    assertThat(BEHIND_PROXIES.of(request)).isEqualTo("127.0.0.2");
  }

  @Test
  void networksMatchByPrefix() {
    TrustedProxies proxies =
        TrustedProxies.of(List.of("192.168.4.0/22", "2001:db8::/32", "127.0.0.2"));

    assertThat(proxies.trusts(address("192.168.7.255"))).isTrue();
    assertThat(proxies.trusts(address("192.168.8.0"))).isFalse();
    assertThat(proxies.trusts(address("2001:db8:ffff::1"))).isTrue();
    assertThat(proxies.trusts(address("2001:db9::1"))).isFalse();
    assertThat(proxies.trusts(address("127.0.0.2"))).isTrue();
    assertThat(proxies.trusts(address("127.0.0.3"))).isFalse();
    assertThat(TrustedProxies.of(List.of("0.0.0.0/0")).trusts(address("8.8.8.8"))).isTrue();
  }

  @Test
  void aWrongNetworkStopsStartUpNamingTheProperty() {
    for (String wrong : List.of("proxy.internal", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "")) {
      assertThatIllegalArgumentException()
          .as(wrong)
          .isThrownBy(() -> TrustedProxies.of(List.of(wrong)))
          .withMessageContaining("paystream.trusted-proxies");
    }
  }

  private static MockServerHttpRequest request(String peer, String forwardedFor) {
    return MockServerHttpRequest.get("/")
        .remoteAddress(new InetSocketAddress(address(peer), 40000))
        .header("X-Forwarded-For", forwardedFor)
        .build();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
