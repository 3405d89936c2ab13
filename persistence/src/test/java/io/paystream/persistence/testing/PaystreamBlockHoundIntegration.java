package io.paystream.persistence.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound allowances for the whole test JVM of every module (loaded through
 * META-INF/services). Only the two library calls DESIGN.md found blocking once at start-up
 * are allowed; everything of ours must pass unaided.
 */
public class PaystreamBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    // SCRAM nonce generation reads SecureRandom once per PostgreSQL connection handshake.
    builder.allowBlockingCallsInside("com.ongres.scram.common.ScramFunctions", "nonce");
    builder.allowBlockingCallsInside("com.ongres.scram.common.util.CryptoUtil", "nonce");
    // Ids seeds its DRBG from the operating system once, when the class is first loaded.
    builder.allowBlockingCallsInside("io.paystream.domain.Ids", "<clinit>");
    // zstd-jni loads its native library on first use by the Kafka client.
    builder.allowBlockingCallsInside("com.github.luben.zstd.util.Native", "load");
  }
}
