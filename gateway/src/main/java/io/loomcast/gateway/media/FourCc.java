package io.loomcast.gateway.media;

/** FourCC codes as Enhanced RTMP puts them on the wire: four ASCII bytes read as one big-endian int. */
public final class FourCc {
    private FourCc() {}

    /** {@code of("hvc1")} is {@code 0x68766331}. */
    public static int of(String code) {
        if (code.length() != 4) {
            throw new IllegalArgumentException("a FourCC has 4 characters: '" + code + "'");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (code.charAt(i) & 0xFF);
        }
        return v;
    }

    /** The four characters, with non-printable bytes as {@code \xNN}, for log and error messages. */
    public static String toString(int fourCc) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = fourCc >>> shift & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append("\\x%02x".formatted(c));
            }
        }
        return sb.toString();
    }
}
