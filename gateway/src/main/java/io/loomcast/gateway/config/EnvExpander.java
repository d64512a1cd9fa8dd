package io.loomcast.gateway.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} inside a scalar's text; {@code $$} is a literal {@code $}.
 * A {@code $} followed by anything else is kept as it is. As in the shell, {@code :-} uses the default when the
 * variable is unset or empty. Defaults are literal text up to the first {@code }}; they do not nest.
 */
final class EnvExpander {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Where a problem lies in the scalar's text, for the error's column. */
    interface ProblemSink {
        void report(int offset, String message, String hint);
    }

    /**
     * The expanded text.
     *
     * @param substituted whether a variable was used: the text may then hold a secret and must not be printed
     */
    record Expansion(String value, boolean substituted) {}

    private final Map<String, String> env;

    EnvExpander(Map<String, String> env) {
        this.env = env;
    }

    /** The expansion, or empty after reporting each problem to {@code sink}. */
    Optional<Expansion> expand(String text, ProblemSink sink) {
        if (text.indexOf('$') < 0) {
            return Optional.of(new Expansion(text, false));
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean substituted = false;
        boolean failed = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 == text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) != '{') {
                out.append(c);
                i++;
            } else {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    sink.report(i, "unterminated ${ (no closing '}')", "write $$ for a literal dollar sign");
                    return Optional.empty();
                }
                String body = text.substring(i + 2, close);
                int sep = body.indexOf(":-");
                String name = sep < 0 ? body : body.substring(0, sep);
                if (!NAME.matcher(name).matches()) {
                    sink.report(i, "\"${" + body + "}\" is not a variable reference",
                            "use ${NAME} or ${NAME:-default}, NAME of letters, digits and _");
                    failed = true;
                } else {
                    String value = env.get(name);
                    if (sep >= 0 && (value == null || value.isEmpty())) {
                        value = body.substring(sep + 2);
                    }
                    if (value == null) {
                        sink.report(i, "environment variable " + name + " is not set",
                                "set it, or give a default: ${" + name + ":-value}");
                        failed = true;
                    } else {
                        out.append(value);
                        substituted = true;
                    }
                }
                i = close + 1;
            }
        }
        return failed ? Optional.empty() : Optional.of(new Expansion(out.toString(), substituted));
    }
}
