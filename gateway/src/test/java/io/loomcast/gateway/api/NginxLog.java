package io.loomcast.gateway.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads nginx-rtmp's error log at info level for how publishers left. nginx logs {@code deleteStream} when a
 * client sends it, and again on its own after {@code disconnect}: so a connection whose first deleteStream
 * comes before its disconnect unpublished cleanly, and one whose first comes after was just cut off.
 */
final class NginxLog {
    private static final Pattern LINE = Pattern.compile("\\*(\\d+) (publish: name='([^']*)'|deleteStream|disconnect)");

    private NginxLog() {}

    /** nginx's error log now. */
    static String of(io.loomcast.gateway.testing.NginxRtmp nginx) {
        try {
            return nginx.errorLog();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How each publisher of {@code name} left, in connection order: true for a clean unpublish. */
    static List<Boolean> publishersOf(String log, String name) {
        Map<String, StringBuilder> events = new LinkedHashMap<>();
        Matcher m = LINE.matcher(log);
        while (m.find()) {
            String what = m.group(2).startsWith("publish") ? "P" + m.group(3) : m.group(2).startsWith("delete") ? "D" : "X";
            events.computeIfAbsent(m.group(1), k -> new StringBuilder()).append(what).append(' ');
        }
        return events.values().stream().map(StringBuilder::toString).filter(e -> e.startsWith("P" + name + " "))
                .filter(e -> e.contains("D") || e.contains("X"))
                .map(e -> e.indexOf('D') >= 0 && (e.indexOf('X') < 0 || e.indexOf('D') < e.indexOf('X'))).toList();
    }
}
