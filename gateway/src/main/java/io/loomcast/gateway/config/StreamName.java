package io.loomcast.gateway.config;

/**
 * A local stream: {@code app/name}. The app is the first path segment; the name is the rest and may hold
 * further slashes ({@code live/studio/cam1} is app {@code live}, name {@code studio/cam1}).
 */
public record StreamName(String app, String name) {

    public StreamName {
        if (app.isEmpty() || name.isEmpty() || app.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a stream is app/name, got app '" + app + "' name '" + name + "'");
        }
    }

    /** @throws IllegalArgumentException unless {@code text} is {@code app/name} with both parts non-empty */
    public static StreamName parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("expected app/name");
        }
        return new StreamName(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return app + "/" + name;
    }
}
