package dev.pulse.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls BlockHound may see on event-loop threads, each one a third party's, known to be
 * harmless in practice. Everything else blocking on a Netty or Reactor thread fails the test run.
 */
public final class PulseBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // r2dbc-postgresql's SCRAM login draws its nonce from SecureRandom (/dev/urandom, never blocks for long),
        // once per new pooled connection.
        builder.allowBlockingCallsInside("com.ongres.scram.common.ScramFunctions", "nonce");
        // Netty 4.2's adaptive allocator takes a short StampedLock write lock when it grows or frees a
        // magazine shared between event loops; Netty's own BlockHound integration does not list it yet.
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    }
}
