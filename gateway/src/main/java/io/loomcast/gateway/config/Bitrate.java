package io.loomcast.gateway.config;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An encoder bitrate in bits per second. Kept apart from byte sizes on purpose: {@code 2500k} here is
 * 2,500,000 bits/s (decimal k, as in FFmpeg), while {@code 64KiB} elsewhere is 65,536 bytes.
 */
public record Bitrate(long bitsPerSecond) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,6})?)([kKM]?)");

    public Bitrate {
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("negative bitrate " + bitsPerSecond);
        }
    }

    /**
     * Parses {@code 128000}, {@code 800k}, {@code 2500K}, {@code 2.5M}: bits per second, k = 1000, M = 1,000,000.
     *
     * @throws IllegalArgumentException when the text is not such a bitrate, or is a fraction of a bit
     */
    public static Bitrate parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a bitrate like 800k, 2.5M or 128000 (bits/s)");
        }
        long multiplier = switch (m.group(2)) {
            case "k", "K" -> 1_000;
            case "M" -> 1_000_000;
            default -> 1;
        };
        BigDecimal bits = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier));
        if (bits.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("a bitrate must be a whole number of bits/s");
        }
        return new Bitrate(bits.longValueExact());
    }

    /** {@code 2500k}, {@code 3M} or {@code 128500}: the shortest exact form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        if (bitsPerSecond != 0 && bitsPerSecond % 1_000_000 == 0) {
            return bitsPerSecond / 1_000_000 + "M";
        }
        if (bitsPerSecond != 0 && bitsPerSecond % 1_000 == 0) {
            return bitsPerSecond / 1_000 + "k";
        }
        return Long.toString(bitsPerSecond);
    }
}
