package io.loomcast.gateway.config;

/**
 * Hides secrets in URLs before they are printed anywhere (logs, errors, the HTTP API). Stream keys and tokens
 * are credentials: whoever has one can publish as the owner of that channel.
 */
public final class Redaction {
    /** What a hidden part is replaced with. */
    public static final String MASK = "***";

    private Redaction() {}

    /**
     * Keeps scheme, host, port and app; replaces the stream key (the last path segment, when the path has at
     * least two: a single segment is the app), every query value, and any {@code user:pass@} by {@code ***}.
     * {@code rtmp://a.rtmp.youtube.com/live2/abcd-1234?t=x} becomes {@code rtmp://a.rtmp.youtube.com/live2/***?t=***}.
     * Text that is not a URL is hidden whole.
     */
    public static String url(String url) {
        int sep = url.indexOf("://");
        if (sep <= 0) {
            return MASK;
        }
        StringBuilder out = new StringBuilder(url.length());
        out.append(url, 0, sep + 3);
        int queryStart = url.indexOf('?', sep + 3);
        String beforeQuery = queryStart < 0 ? url.substring(sep + 3) : url.substring(sep + 3, queryStart);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash);
        int at = authority.lastIndexOf('@');
        out.append(at < 0 ? authority : MASK + authority.substring(at));
        int lastSlash = path.lastIndexOf('/');
        if (lastSlash > 0 && lastSlash < path.length() - 1) {
            out.append(path, 0, lastSlash + 1).append(MASK);
        } else {
            out.append(path);
        }
        if (queryStart >= 0) {
            out.append('?').append(query(url.substring(queryStart + 1)));
        }
        return out.toString();
    }

    private static String query(String query) {
        StringBuilder out = new StringBuilder();
        for (String part : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = part.indexOf('=');
            // A bare item (no '=') may be a token on its own; hide it too.
            out.append(eq < 0 ? MASK : part.substring(0, eq + 1) + MASK);
        }
        return out.toString();
    }
}
