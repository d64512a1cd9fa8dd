package io.loomcast.gateway.config;

/**
 * One problem found in a config file, positioned so an editor can jump to it.
 *
 * @param file    the file name as the user gave it
 * @param line    1-based line, or 0 when the problem has no position (an unreadable file)
 * @param column  1-based column, or 0 with {@code line}
 * @param path    the field's path, e.g. {@code routes[1].push[0].url}; empty for YAML syntax errors
 * @param message what is wrong; never contains a secret (URLs are redacted, env values never shown)
 * @param hint    how to fix it, e.g. {@code did you mean 'chunkSize'?}; empty when there is none
 */
public record ConfigError(String file, int line, int column, String path, String message, String hint) {

    /** {@code file:line:column: path: message; hint}, leaving out the parts that are absent. */
    public String format() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line).append(':').append(column);
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        out.append(message);
        if (!hint.isEmpty()) {
            out.append("; ").append(hint);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
