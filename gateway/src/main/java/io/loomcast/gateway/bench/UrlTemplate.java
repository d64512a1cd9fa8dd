package io.loomcast.gateway.bench;

import io.loomcast.gateway.config.RtmpUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark URL in which {@code {i}} becomes the client's index (0, 1, 2, ...) and {@code {i%N}} that index
 * modulo N, so {@code rtmp://host/live/s{i%10}} spreads the clients over ten streams. Any other brace is an
 * error, so a typo does not silently send every client to one literal stream name.
 */
public final class UrlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{i(?:%(\\d{1,9}))?}");

    /** Literal text and placeholders in order; a placeholder is an Integer modulus (0 for plain {i}). */
    private final List<Object> parts;
    private final boolean perClient;
    /** Added to every index: a shard's clients keep the {i} they have in the whole run. */
    private final int firstIndex;

    private UrlTemplate(List<Object> parts, int firstIndex) {
        this.parts = List.copyOf(parts);
        this.perClient = parts.stream().anyMatch(Integer.class::isInstance);
        this.firstIndex = firstIndex;
    }

    /** This template for a slice of the clients: client {@code i} of the slice is client {@code first + i}. */
    public UrlTemplate slice(int first) {
        if (first < 0) {
            throw new IllegalArgumentException("a slice starts at client 0 or later, got " + first);
        }
        return new UrlTemplate(parts, firstIndex + first);
    }

    /**
     * Parses and checks a template: its placeholders, and that it expands to a valid RTMP URL.
     *
     * @throws IllegalArgumentException naming the problem, never repeating the URL (it may hold a stream key)
     */
    public static UrlTemplate parse(String text) {
        List<Object> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            parts.add(literal(text.substring(at, m.start())));
            int modulus = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
            if (m.group(1) != null && modulus < 1) {
                throw new IllegalArgumentException("{i%N} needs N of at least 1");
            }
            parts.add(modulus);
            at = m.end();
        }
        parts.add(literal(text.substring(at)));
        UrlTemplate template = new UrlTemplate(parts, 0);
        template.expand(0);
        return template;
    }

    private static String literal(String text) {
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw new IllegalArgumentException("URL has a brace that is not a placeholder; use {i} or {i%N}");
        }
        return text;
    }

    /** The URL of client {@code index}. */
    public RtmpUrl expand(int index) {
        int global = firstIndex + index;
        StringBuilder b = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Integer modulus) {
                b.append(modulus == 0 ? global : global % modulus);
            } else {
                b.append((String) part);
            }
        }
        return RtmpUrl.parse(b.toString());
    }

    /** Whether clients get different URLs. */
    public boolean perClient() {
        return perClient;
    }

    /** The first client's URL, redacted, with {@code {i...}} shown where it varies. */
    @Override
    public String toString() {
        return expand(0) + (perClient ? " (per client: {i})" : "");
    }
}
