package io.loomcast.gateway.config;

import java.util.Set;
import java.util.regex.Pattern;

/** What a route or push id may be: it appears in API paths, logs and metric labels, so it is plain and short. */
public final class Ids {
    /** A letter or digit, then letters, digits, {@code .}, {@code _} or {@code -}; 64 characters at most. */
    public static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Ids() {}

    /** Whether {@code id} is a valid id. */
    public static boolean valid(String id) {
        return SYNTAX.matcher(id).matches();
    }

    /** {@code text} made into an id: other characters become {@code -}, cut to the maximum length. */
    static String slug(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            out.append(ok ? c : '-');
        }
        String s = out.toString();
        if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) {
            s = "x" + s;
        }
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /** {@code base}, or {@code base-2}, {@code base-3}, ... whichever {@code taken} does not hold yet. */
    static String unique(String base, Set<String> taken) {
        if (!taken.contains(base)) {
            return base;
        }
        for (int n = 2; ; n++) {
            String suffix = "-" + n;
            String candidate = (base.length() + suffix.length() > 64 ? base.substring(0, 64 - suffix.length()) : base)
                    + suffix;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }
}
