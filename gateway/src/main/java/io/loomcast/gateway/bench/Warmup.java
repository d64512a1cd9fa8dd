package io.loomcast.gateway.bench;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.handshake.ClientHandshake;
import io.loomcast.gateway.protocol.handshake.DigestScheme;
import io.loomcast.gateway.protocol.handshake.HandshakeMode;
import io.loomcast.gateway.protocol.handshake.HandshakeOptions;
import io.loomcast.gateway.protocol.handshake.ServerHandshake;
import java.util.Arrays;

/**
 * Digest handshakes in memory before the first client starts. The first HMAC-SHA256 of a JVM loads and
 * initialises the crypto provider, which took ~0.5 s here; without this the first clients' handshake times
 * measure the bench's start-up, not the origin.
 */
final class Warmup {
    private static final int ROUNDS = 200;

    private Warmup() {}

    static void handshakes() {
        try {
            for (int i = 0; i < ROUNDS; i++) {
                HandshakeOptions options = HandshakeOptions.defaults();
                ClientHandshake client = new ClientHandshake(new HandshakeMode.Digest(DigestScheme.SCHEME_0), options);
                byte[] s0s1s2 = new ServerHandshake(options).respond(client.c0c1());
                client.respond(Arrays.copyOf(s0s1s2, ClientHandshake.S0S1_BYTES));
                client.verifyS2(Arrays.copyOfRange(s0s1s2, ClientHandshake.S0S1_BYTES, ServerHandshake.S0S1S2_BYTES));
            }
        } catch (ProtocolException e) {
            throw new IllegalStateException("our own handshake does not verify: " + e.getMessage(), e);
        }
    }
}
