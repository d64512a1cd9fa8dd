package io.loomcast.gateway.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes JSON (RFC 8259) to a string, indented two spaces. Just what the report needs, and strict: names and
 * strings are escaped, a double that is not finite becomes {@code null} (JSON has no NaN), and a misplaced
 * call (a value where a name is due, an unclosed object) throws instead of writing broken JSON.
 *
 * <p>Why our own: the report is one small tree written once, and a JSON library would be the project's
 * first; this stays under a hundred lines and its output is checked against the schema in the tests.
 */
final class JsonWriter {
    private static final int DECIMALS = 3;

    /** One open object or array: whether it has members yet, and, in an object, whether a name is pending. */
    private static final class Level {
        final boolean object;
        boolean hasMembers;
        boolean nameWritten;

        Level(boolean object) {
            this.object = object;
        }
    }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Level> open = new ArrayDeque<>();
    private boolean done;

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        open.push(new Level(true));
        return this;
    }

    JsonWriter endObject() {
        return end(true, '}');
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        open.push(new Level(false));
        return this;
    }

    JsonWriter endArray() {
        return end(false, ']');
    }

    JsonWriter name(String name) {
        Level level = open.peek();
        if (level == null || !level.object || level.nameWritten) {
            throw new IllegalStateException("a name is only allowed in an object, before its value");
        }
        separate(level);
        string(name);
        out.append(": ");
        level.nameWritten = true;
        return this;
    }

    JsonWriter value(String s) {
        if (s == null) {
            return nullValue();
        }
        beforeValue();
        string(s);
        return this;
    }

    JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    /** A number rounded to 3 decimals, plain notation; NaN and infinities become null. */
    JsonWriter value(double d) {
        if (!Double.isFinite(d)) {
            return nullValue();
        }
        beforeValue();
        String text = BigDecimal.valueOf(d).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
        out.append(text.equals("-0") ? "0" : text);
        return this;
    }

    JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** The document; throws if an object or array is still open. */
    @Override
    public String toString() {
        if (!open.isEmpty() || !done) {
            throw new IllegalStateException("JSON document is not complete");
        }
        return out + "\n";
    }

    private JsonWriter end(boolean object, char close) {
        Level level = open.peek();
        if (level == null || level.object != object || level.nameWritten) {
            throw new IllegalStateException("nothing of that kind to close here");
        }
        open.pop();
        if (level.hasMembers) {
            newline();
        }
        out.append(close);
        done = open.isEmpty();
        return this;
    }

    private void beforeValue() {
        Level level = open.peek();
        if (level == null) {
            if (done || !out.isEmpty()) {
                throw new IllegalStateException("a JSON document has one top-level value");
            }
            return;
        }
        if (level.object) {
            if (!level.nameWritten) {
                throw new IllegalStateException("a value in an object needs a name first");
            }
            level.nameWritten = false;
        } else {
            separate(level);
        }
        done = false;
    }

    private void separate(Level level) {
        if (level.hasMembers) {
            out.append(',');
        }
        level.hasMembers = true;
        newline();
    }

    private void newline() {
        out.append('\n').repeat("  ", open.size());
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (paired) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        // Control characters must be escaped (RFC 8259 7); a lone surrogate has no UTF-8 form.
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
