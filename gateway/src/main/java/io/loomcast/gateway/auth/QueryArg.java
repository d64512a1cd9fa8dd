package io.loomcast.gateway.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code name=value} argument of a stream name's or tcUrl's query string. Values are percent-decoded; a
 * {@code +} stays a plus (keys are often base64, where it is a digit, not a space).
 *
 * @param name  the argument's name, decoded
 * @param value the value, decoded; empty for a bare {@code name}
 */
public record QueryArg(String name, String value) {
    /** Longest query we parse; RTMP names are short, and a longer one is not a credential. */
    public static final int MAX_QUERY_CHARS = 4096;

    /** The arguments of {@code query} (the text after {@code ?}, without it), in order. */
    public static List<QueryArg> parse(String query) {
        List<QueryArg> out = new ArrayList<>();
        if (query == null || query.isEmpty() || query.length() > MAX_QUERY_CHARS) {
            return out;
        }
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            out.add(new QueryArg(decode(name), decode(value)));
        }
        return out;
    }

    /** The query of a URL ({@code rtmp://h/app?a=b} &rarr; {@code a=b}), or empty. */
    public static String queryOf(String url) {
        int q = url == null ? -1 : url.indexOf('?');
        return q < 0 ? "" : url.substring(q + 1);
    }

    /** %XX sequences become bytes (UTF-8); a malformed one is kept as written. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (c == '%' && hi >= 0 && lo >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // Any value may be a credential.
        return name + "=***";
    }
}
