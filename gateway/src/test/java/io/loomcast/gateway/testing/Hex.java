package io.loomcast.gateway.testing;

import java.util.HexFormat;

/** Hex vectors as the tests write them: pairs of hex digits, with any white space between groups. */
public final class Hex {
    private Hex() {}

    /** {@code hex("02 000000 000004 01")} - white space is ignored, so fields can be grouped as in the spec. */
    public static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replaceAll("\\s+", ""));
    }

    /** Lower-case hex without separators, for assertion messages and captured-vector files. */
    public static String toHex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Concatenation of several byte arrays, for building a stream from vectors. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
