package io.loomcast.gateway.protocol.handshake;

import static io.loomcast.gateway.testing.Hex.hex;

import java.time.Duration;

/** Deterministic options and the hand-built packets the golden tests share. */
final class Fixtures {
    /** Epoch the deterministic client sends: 01 02 03 04. */
    static final long CLIENT_EPOCH_MILLIS = 0x0102_0304L;
    /** Epoch the deterministic server sends: 0a 0b 0c 0d. */
    static final long SERVER_EPOCH_MILLIS = 0x0A0B_0C0DL;

    /**
     * Expected digests and signatures, computed outside Java with Python's hmac module over the packets
     * described in {@link GoldenVectorTest}; index = scheme number.
     */
    static final byte[][] C1_DIGEST = {
        hex("e9b0c836de455cf23383b597b3e98c7da0e0cafc47cb2d7e9b1ac7a97a3dd84d"),
        hex("0107b14e454b4d97579e49a32692bac79052866e7f1c2c9b2ed59809c06ea7df"),
    };
    static final byte[][] S1_DIGEST = {
        hex("a58118636f04ffaadd5bedcab2c2ca01272cf2ceb654d058ace6a077bd5bba16"),
        hex("9138f2fa365ad6be3a41ced00b0f8f33d87cb6c0c02fee98c9f8cbca44605399"),
    };
    static final byte[][] S2_SIGNATURE = {
        hex("aeaba8ffe4c470ba5f44b5be7c87b052f072782338c0df997cbda804ecc3b73e"),
        hex("ff2057e55ef1282ca3311f5e02541121d57d44ab4c048b410612cefbf1505a43"),
    };
    static final byte[][] C2_SIGNATURE = {
        hex("87e55959ff40c172e804895a6994966da80c8dc53ab710803704b9932483f651"),
        hex("c0b2a193717d90319a5cb01d2609066a61bfcb1d0f2cf281334b7934c390d5e9"),
    };
    /**
     * Digest offsets in a counting-filled packet. Scheme 0: 12 + (8+9+10+11) % 728 = 50. Scheme 1: bytes
     * 772..775 are 772..775 mod 256 = 4, 5, 6, 7, so 776 + 22 % 728 = 798.
     */
    static final int[] DIGEST_OFFSET = {50, 798};

    private Fixtures() {}

    static HandshakeOptions options(long epochMillis) {
        return new HandshakeOptions(Duration.ofSeconds(5), false, new CountingRandom(), () -> epochMillis * 1_000_000L);
    }

    static HandshakeOptions clientOptions() {
        return options(CLIENT_EPOCH_MILLIS);
    }

    static HandshakeOptions serverOptions() {
        return options(SERVER_EPOCH_MILLIS);
    }

    /** 1536 bytes, byte i = i mod 256: what {@link CountingRandom} fills a packet with. */
    static byte[] counting() {
        byte[] p = new byte[1536];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    /** A counting-filled packet with the given time and version fields and nothing imprinted. */
    static byte[] countingPacket(int time, byte[] version) {
        byte[] p = counting();
        p[0] = (byte) (time >>> 24);
        p[1] = (byte) (time >>> 16);
        p[2] = (byte) (time >>> 8);
        p[3] = (byte) time;
        System.arraycopy(version, 0, p, 4, 4);
        return p;
    }

    /** C0 + the deterministic client's digest C1 for {@code scheme}, assembled from the Python-computed digest. */
    static byte[] digestC0C1(int scheme) {
        byte[] c1 = countingPacket((int) CLIENT_EPOCH_MILLIS, hex("09 00 7c 02"));
        System.arraycopy(C1_DIGEST[scheme], 0, c1, DIGEST_OFFSET[scheme], 32);
        return withVersionByte(c1);
    }

    /** C0 + a plain C1: zero version field. */
    static byte[] plainC0C1() {
        return withVersionByte(countingPacket((int) CLIENT_EPOCH_MILLIS, hex("00 00 00 00")));
    }

    static byte[] withVersionByte(byte[] packet) {
        byte[] out = new byte[1 + packet.length];
        out[0] = 3;
        System.arraycopy(packet, 0, out, 1, packet.length);
        return out;
    }
}
