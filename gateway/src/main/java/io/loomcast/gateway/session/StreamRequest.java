package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * What a client asked to publish or play: the local stream {@code app/name}, worked out from connect's app
 * and tcUrl and the name given to publish or play, plus the query string that came with either (tokens live
 * there, so it is kept apart and never logged).
 *
 * <p>Forms accepted, as real clients send them:
 * <ul>
 *   <li>{@code app=live}, {@code publish("x")} &rarr; {@code live/x}</li>
 *   <li>query strings on either: {@code app=live?token=t}, {@code play("x?token=t")}</li>
 *   <li>the stream name inside tcUrl: {@code app=live/x} and {@code publish("")} (or the same name again)</li>
 *   <li>an FMS type prefix: {@code play("flv:x")} &rarr; {@code live/x}</li>
 * </ul>
 *
 * @param path  {@code app/name}, the hub's key
 * @param query everything after the first {@code ?} of app and name, joined with {@code &}; empty when none
 */
public record StreamRequest(String path, String query) {
    /** Longest app/name we accept; a name is a map key and a log field, not a payload. */
    public static final int MAX_LENGTH = 512;

    /** Resolves the stream a publish or play of {@code requested} means on a connection to {@code app}. */
    public static StreamRequest resolve(String app, String requested) throws ProtocolException {
        String[] appParts = splitQuery(app == null ? "" : app);
        String[] nameParts = splitQuery(requested == null ? "" : requested);
        String appPath = trimSlashes(appParts[0]);
        String name = stripTypePrefix(trimSlashes(nameParts[0]));
        if (appPath.isEmpty()) {
            throw new ProtocolException("connect gave no app, so stream '%s' has no app to live in".formatted(name));
        }
        String path;
        int slash = appPath.lastIndexOf('/');
        if (name.isEmpty() && slash > 0) {
            // The pusher put the stream name into tcUrl/app and published an empty name.
            path = appPath;
        } else if (name.isEmpty()) {
            throw new ProtocolException("empty stream name for app '%s'".formatted(appPath));
        } else if (slash > 0 && appPath.substring(slash + 1).equals(name)) {
            // The name is in tcUrl and given again to publish.
            path = appPath;
        } else {
            path = appPath + "/" + name;
        }
        if (path.length() > MAX_LENGTH) {
            throw new ProtocolException("stream name of %d characters exceeds limit %d".formatted(path.length(), MAX_LENGTH));
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new ProtocolException("stream name has control character 0x%02x at %d".formatted((int) c, i));
            }
        }
        String query = join(appParts[1], nameParts[1]);
        return new StreamRequest(path, query);
    }

    /** The app part of a tcUrl ({@code rtmp://host[:port]/app[/name][?q]} &rarr; {@code app[/name]}), or "" */
    public static String appFromTcUrl(String tcUrl) {
        if (tcUrl == null) {
            return "";
        }
        int scheme = tcUrl.indexOf("://");
        int pathStart = tcUrl.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (pathStart < 0) {
            return "";
        }
        return splitQuery(tcUrl.substring(pathStart + 1))[0];
    }

    /** The app's first path segment, e.g. {@code live} of {@code live/x}. */
    public String app() {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    private static String[] splitQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? new String[] {s, ""} : new String[] {s.substring(0, q), s.substring(q + 1)};
    }

    private static String trimSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }

    private static String stripTypePrefix(String name) {
        for (String prefix : new String[] {"flv:", "mp4:", "mp3:"}) {
            if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }

    private static String join(String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : a + "&" + b;
    }

    @Override
    public String toString() {
        // The query may carry a token: never print it.
        return query.isEmpty() ? path : path + "?***";
    }
}
