package io.loomcast.gateway.protocol.handshake;

import java.util.random.RandomGenerator;

/**
 * "Random" bytes whose value is their index (byte i = i mod 256) on every fill, so that where a digest lands
 * can be worked out by hand: in a packet filled this way, bytes 8..11 are 8, 9, 10, 11.
 */
final class CountingRandom implements RandomGenerator {
    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
    }

    @Override
    public long nextLong() {
        return 0x0123_4567_89AB_CDEFL;
    }
}
