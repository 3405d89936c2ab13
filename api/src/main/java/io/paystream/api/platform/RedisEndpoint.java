package io.paystream.api.platform;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.time.Duration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.StringUtils;

/**
 * The Redis that {@code spring.data.redis.*} names, for a Lettuce client of our own. Read through
 * Boot's {@link DataRedisConnectionDetails}, so that everything Boot's own client honours counts:
 * host and port or a URL, user and password, database index, client name, TLS ({@code ssl.enabled},
 * an SSL bundle, or a {@code rediss://} URL) and Sentinel. A client of our own because the rate
 * limiter needs options Boot's shared client does not have (a command sent while disconnected is
 * refused at once instead of queued).
 *
 * <p>Cluster and static master/replica set-ups are refused at start-up: a Redis the limiter cannot
 * reach the way the rest of the application does would make every limit silently per instance.
 *
 * @param uri where to connect and how to log in; no timeout set
 * @param ssl the TLS key and trust material of an SSL bundle, or null for the JDK's defaults (also
 *     when TLS is off)
 */
public record RedisEndpoint(RedisURI uri, SslOptions ssl) {

  /** From Boot's connection details; {@code properties} adds the client name and the URL scheme. */
  public static RedisEndpoint from(
      DataRedisConnectionDetails details, DataRedisProperties properties) {
    if (details.getCluster() != null || details.getMasterReplica() != null) {
      throw new IllegalStateException(
          "spring.data.redis names a Redis Cluster or a master/replica set-up; the rate limiter"
              + " supports a standalone Redis or Sentinel only");
    }
    SslBundle bundle = details.getSslBundle();
    boolean tls = bundle != null || urlUsesTls(properties.getUrl());
    RedisURI.Builder builder;
    DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
    if (sentinel != null) {
      builder =
          RedisURI.builder()
              .withSentinelMasterId(sentinel.getMaster())
              .withDatabase(sentinel.getDatabase());
      for (DataRedisConnectionDetails.Node node : sentinel.getNodes()) {
        RedisURI.Builder sentinelNode =
            RedisURI.builder().withHost(node.host()).withPort(node.port()).withSsl(tls);
        credentials(sentinelNode, sentinel.getUsername(), sentinel.getPassword());
        builder.withSentinel(sentinelNode.build());
      }
    } else {
      DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
      builder =
          RedisURI.builder()
              .withHost(standalone.getHost())
              .withPort(standalone.getPort())
              .withDatabase(standalone.getDatabase());
    }
    credentials(builder, details.getUsername(), details.getPassword());
    if (StringUtils.hasText(properties.getClientName())) {
      builder.withClientName(properties.getClientName());
    }
    return new RedisEndpoint(builder.withSsl(tls).build(), bundle == null ? null : ssl(bundle));
  }

  /** A Redis without password or TLS, database 0. */
  public static RedisEndpoint standalone(String host, int port) {
    return new RedisEndpoint(RedisURI.builder().withHost(host).withPort(port).build(), null);
  }

  /**
   * A copy of this address that gives connecting and its handshake {@code connectTimeout}; the
   * endpoint itself stays as configured. Lettuce's {@code RedisURI.builder(RedisURI)} copies a
   * standalone address only: given a Sentinel one it has no host and refuses to build, so the
   * Sentinel parts are copied here one by one.
   */
  public RedisURI uri(Duration connectTimeout) {
    if (uri.getSentinelMasterId() == null) {
      return RedisURI.builder(uri).withTimeout(connectTimeout).build();
    }
    RedisURI.Builder copy =
        RedisURI.builder()
            .withSentinelMasterId(uri.getSentinelMasterId())
            .withDatabase(uri.getDatabase())
            .withSsl(uri)
            .withAuthentication(uri)
            .withTimeout(connectTimeout);
    uri.getSentinels().forEach(copy::withSentinel);
    if (uri.getClientName() != null) {
      copy.withClientName(uri.getClientName());
    }
    return copy.build();
  }

  /** For logs: where, never the password. */
  public String describe() {
    String where =
        uri.getSentinelMasterId() != null
            ? "Sentinel master " + uri.getSentinelMasterId()
            : uri.getHost() + ":" + uri.getPort();
    return where + " database " + uri.getDatabase() + (uri.isSsl() ? " over TLS" : "");
  }

  private static void credentials(RedisURI.Builder builder, String username, String password) {
    if (!StringUtils.hasText(password)) {
      return;
    }
    if (StringUtils.hasText(username)) {
      builder.withAuthentication(username, password);
    } else {
      builder.withPassword(password);
    }
  }

  private static boolean urlUsesTls(String url) {
    return url != null && url.startsWith("rediss://");
  }

  /** As Boot's own Lettuce configuration turns a bundle into options. */
  private static SslOptions ssl(SslBundle bundle) {
    SslOptions.Builder options =
        SslOptions.builder()
            .jdkSslProvider()
            .keyManager(bundle.getManagers().getKeyManagerFactory())
            .trustManager(bundle.getManagers().getTrustManagerFactory());
    if (bundle.getOptions().getCiphers() != null) {
      options.cipherSuites(bundle.getOptions().getCiphers());
    }
    if (bundle.getOptions().getEnabledProtocols() != null) {
      options.protocols(bundle.getOptions().getEnabledProtocols());
    }
    return options.build();
  }
}
