package io.loomcast.gateway.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as written in the config: a whole number of bytes, optionally with a binary unit:
 * {@code 4096}, {@code 4096B}, {@code 64KiB}, {@code 8MiB}, {@code 1GiB}. Decimal units (kB, MB) are refused so
 * that nobody has to wonder whether "8MB" means 8,000,000 or 8,388,608.
 */
final class ByteSizeText {
    private static final Pattern FORM = Pattern.compile("(\\d{1,15})(B|KiB|MiB|GiB)?");
    private static final Pattern DECIMAL_UNIT = Pattern.compile("\\d+(\\.\\d+)?\\s*([kKmMgG][bB]?|[KMG]i?)");

    private ByteSizeText() {}

    static long parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a byte size like 4096, 64KiB or 8MiB");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("byte size is too large");
        }
        return amount << shift;
    }

    /** Whether {@code text} looks like a size with a decimal or misspelled unit, so a hint can name the right ones. */
    static boolean looksLikeWrongUnit(String text) {
        return DECIMAL_UNIT.matcher(text).matches();
    }

    /** The largest binary unit that states {@code bytes} exactly: {@code 16MiB}, {@code 64KiB}, {@code 1000}. */
    static String format(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KiB";
        }
        return Long.toString(bytes);
    }
}
