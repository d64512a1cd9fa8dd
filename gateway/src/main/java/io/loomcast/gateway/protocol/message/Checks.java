package io.loomcast.gateway.protocol.message;

import java.util.Arrays;

/** Argument checks shared by the record constructors: a record that exists can always be encoded. */
final class Checks {
    private Checks() {}

    static final long UINT32_MAX = 0xFFFF_FFFFL;

    static void uint32(long value, String name) {
        if (value < 0 || value > UINT32_MAX) {
            throw new IllegalArgumentException("%s %d outside unsigned 32-bit range".formatted(name, value));
        }
    }

    static void range(long value, long min, long max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("%s %d outside %d..%d".formatted(name, value, min, max));
        }
    }

    /** toString for a byte-carrying record: the size, not the bytes (media payloads are large). */
    static String describe(byte[] bytes) {
        return bytes.length <= 16 ? Arrays.toString(bytes) : bytes.length + " bytes";
    }
}
