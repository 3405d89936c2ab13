package io.paystream.persistence.platform;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The BlockHound allowances of every JVM that installs it: each test JVM, and the running API when
 * {@code paystream.blockhound.enabled} is set. Loaded through META-INF/services. Each is a one-time
 * or microsecond-bounded wait inside a library, named with why; everything of ours must pass
 * unaided.
 */
public class BriefLibraryWaits implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    // SCRAM nonce generation reads SecureRandom once per PostgreSQL connection handshake.
    builder.allowBlockingCallsInside("com.ongres.scram.common.ScramFunctions", "nonce");
    builder.allowBlockingCallsInside("com.ongres.scram.common.util.CryptoUtil", "nonce");
    // Ids seeds its DRBG from the operating system once, when the class is first loaded.
    builder.allowBlockingCallsInside("io.paystream.domain.Ids", "<clinit>");
    // Jackson builds each type's deserializer once, under a lock held for microseconds; two
    // event loops decoding the same new type at the same moment make one park briefly.
    builder.allowBlockingCallsInside(
        "tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer");
    // Netty's adaptive buffer allocator grows its magazine array under a StampedLock held for
    // microseconds; event loops allocating at the same moment (more of them busy with live
    // streams and cache updates) make one park briefly. Seen as a broken PostgreSQL connection.
    builder.allowBlockingCallsInside(
        "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    // Lettuce counts the writers of a connection under a ReentrantLock held for a few
    // instructions (no I/O inside); a rate-limit command issued from Lettuce's own event loop
    // while another thread writes to the same connection parks briefly. Seen under load with
    // paystream.blockhound.enabled.
    builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
    // OpenTelemetry finds its context storage through ServiceLoader (reading a jar) once, when
    // LazyStorage is first initialized: on an event loop when the first request of a JVM is the
    // first code to need a context. Failing there leaves the class unusable for the JVM's life,
    // and every later request answers 500 (seen in a clean-clone CI run whose first test class
    // sent the first request).
    builder.allowBlockingCallsInside("io.opentelemetry.context.LazyStorage", "<clinit>");
    // zstd-jni loads its native library on first use by the Kafka client.
    builder.allowBlockingCallsInside("com.github.luben.zstd.util.Native", "load");
  }
}
