package io.loomcast.gateway.config;

import java.util.Locale;

/**
 * A remote RTMP endpoint, {@code rtmp[s]://[user:pass@]host[:port]/app[/more/app]/streamKey[?query]}. The last
 * path segment (with the query, which RTMP servers read as part of the stream name) is the stream name or key;
 * the segments before it are the app. {@link #toString()} is redacted, so logging a URL never leaks the key.
 *
 * @param userInfo   {@code user:pass} before the host, or empty
 * @param port       the explicit port, else 1935 for rtmp and 443 for rtmps
 * @param streamName the stream key (a secret for most destinations), with {@code ?query} if there was one
 */
public record RtmpUrl(String scheme, String userInfo, String host, int port, String app, String streamName) {

    /** The scheme of an RTMP URL over TLS. */
    public static final String RTMPS = "rtmps";

    /**
     * Parses and checks a URL.
     *
     * @throws IllegalArgumentException with a message that never repeats the URL or any part of its path
     */
    public static RtmpUrl parse(String url) {
        int sep = url.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("not an rtmp:// or rtmps:// URL");
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals(RTMPS)) {
            // A scheme holds only these characters (RFC 3986 3.1); anything else may be a pasted secret.
            boolean plain = scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || "+.-".indexOf(c) >= 0);
            String shown = plain ? scheme : "?";
            throw new IllegalArgumentException("scheme \"" + shown + "\" is not rtmp or rtmps");
        }
        int authorityEnd = indexOfAny(url, sep + 3, "/?");
        String authority = url.substring(sep + 3, authorityEnd);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        String host;
        String portText = "";
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("URL has an unclosed '[' in its host");
            }
            host = hostPort.substring(1, close);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("URL has text after its host");
            }
            portText = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }
        int port = scheme.equals(RTMPS) ? 443 : 1935;
        if (!portText.isEmpty()) {
            if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65_535) {
                throw new IllegalArgumentException("URL port is not a number from 1 to 65535");
            }
            port = Integer.parseInt(portText);
        }
        int queryStart = url.indexOf('?', authorityEnd);
        String path = url.substring(authorityEnd, queryStart < 0 ? url.length() : queryStart);
        String query = queryStart < 0 ? "" : url.substring(queryStart);
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("URL has no app path segment");
        }
        int lastSlash = trimmed.lastIndexOf('/');
        if (lastSlash < 0 || lastSlash == trimmed.length() - 1) {
            throw new IllegalArgumentException("URL has an app but no stream name after it");
        }
        String app = trimmed.substring(0, lastSlash);
        if (("/" + app + "/").contains("//")) {
            throw new IllegalArgumentException("URL has an empty path segment");
        }
        return new RtmpUrl(scheme, userInfo, host, port, app, trimmed.substring(lastSlash + 1) + query);
    }

    /** Whether the connection runs over TLS. */
    public boolean tls() {
        return scheme.equals(RTMPS);
    }

    /** The {@code tcUrl} sent in connect: scheme, host, port and app, no stream key. */
    public String tcUrl() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + shownHost + ":" + port + "/" + app;
    }

    /** The URL with the stream key, query values and credentials replaced by {@code ***}. */
    @Override
    public String toString() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return Redaction.url(scheme + "://" + (userInfo.isEmpty() ? "" : userInfo + "@") + shownHost + ":" + port
                + "/" + app + "/" + streamName);
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
