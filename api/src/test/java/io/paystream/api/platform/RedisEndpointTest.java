package io.paystream.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;

/** The rate limiter's Redis address, as {@code spring.data.redis.*} names it. */
class RedisEndpointTest {

  private static final Duration CONNECT = Duration.ofSeconds(2);

  @Test
  void aSentinelAddressKeepsItsMasterSentinelsDatabaseAndPasswordWhenGivenATimeout() {
    RedisEndpoint endpoint =
        RedisEndpoint.from(sentinels("paystream", 3, "s3cret"), new DataRedisProperties());

    RedisURI uri = endpoint.uri(CONNECT);

    assertThat(uri.getSentinelMasterId()).isEqualTo("paystream");
    assertThat(uri.getSentinels())
        .extracting(RedisURI::getHost, RedisURI::getPort)
        .containsExactly(
            tuple("127.0.0.1", 26391), tuple("127.0.0.1", 26392), tuple("127.0.0.1", 26393));
    assertThat(uri.getDatabase()).isEqualTo(3);
    assertThat(uri.getTimeout()).isEqualTo(CONNECT);
    assertThat(uri.getCredentialsProvider().resolveCredentials().block().getPassword())
        .isEqualTo("s3cret".toCharArray());
    assertThat(endpoint.describe()).isEqualTo("Sentinel master paystream database 3");
  }

  @Test
  void aStandaloneAddressIsCopiedWithTheTimeoutAndTheEndpointItselfIsNotChanged() {
    RedisEndpoint endpoint = RedisEndpoint.standalone("127.0.0.1", 6391);

    RedisURI uri = endpoint.uri(CONNECT);

    assertThat(uri.getHost()).isEqualTo("127.0.0.1");
    assertThat(uri.getPort()).isEqualTo(6391);
    assertThat(uri.getTimeout()).isEqualTo(CONNECT);
    assertThat(endpoint.uri().getTimeout()).isEqualTo(RedisURI.DEFAULT_TIMEOUT_DURATION);
  }

  private static DataRedisConnectionDetails sentinels(
      String master, int database, String password) {
    DataRedisConnectionDetails.Sentinel sentinel =
        new DataRedisConnectionDetails.Sentinel() {
          @Override
          public int getDatabase() {
            return database;
          }

          @Override
          public String getMaster() {
            return master;
          }

          @Override
          public List<Node> getNodes() {
            return List.of(
                new Node("127.0.0.1", 26391),
                new Node("127.0.0.1", 26392),
                new Node("127.0.0.1", 26393));
          }

          @Override
          public String getUsername() {
            return null;
          }

          @Override
          public String getPassword() {
            return null;
          }
        };
    return new DataRedisConnectionDetails() {
      @Override
      public String getPassword() {
        return password;
      }

      @Override
      public DataRedisConnectionDetails.Sentinel getSentinel() {
        return sentinel;
      }
    };
  }
}
