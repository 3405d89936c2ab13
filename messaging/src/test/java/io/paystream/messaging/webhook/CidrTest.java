package io.paystream.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void aBlockContainsExactlyTheAddressesSharingItsPrefix() {
    Cidr shared = Cidr.parse("100.64.0.0/10");
    assertThat(shared.contains(bytes("100.64.0.0"))).isTrue();
    assertThat(shared.contains(bytes("100.127.255.255"))).isTrue();
    assertThat(shared.contains(bytes("100.128.0.0"))).isFalse();
    assertThat(shared.contains(bytes("100.63.255.255"))).isFalse();

    Cidr teredo = Cidr.parse("2001::/32");
    assertThat(teredo.contains(bytes("2001:0:ffff::1"))).isTrue();
    assertThat(teredo.contains(bytes("2001:1::1"))).isFalse();
  }

  @Test
  void anIpv4BlockNeverContainsAnIpv6AddressNorTheOtherWayRound() {
    assertThat(Cidr.parse("0.0.0.0/0").contains(bytes("::1"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(bytes("127.0.0.1"))).isFalse();
  }

  @Test
  void theIpv4MappedBlockKeepsItsSixteenBytes() {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 1;
    assertThat(Cidr.parse("::ffff:0:0/96").contains(mapped)).isTrue();
    assertThat(Cidr.parse("::ffff:0:0/96").contains(bytes("10.0.0.1"))).isFalse();
  }

  @Test
  void aBlockWithBitsPastItsPrefixOrAnImpossibleLengthIsATypo() {
    assertThatThrownBy(() -> Cidr.parse("100.64.0.0/9"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("example.com/8"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0")).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
