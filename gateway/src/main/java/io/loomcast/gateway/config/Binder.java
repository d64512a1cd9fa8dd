package io.loomcast.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns YAML nodes into typed values, reporting each problem with the node's position and the field's path.
 * Every method returns empty after reporting, so the caller falls back to a default and goes on: all problems
 * of a file are found in one pass. Quoting does not matter: {@code "4096"} and {@code 4096} are the same.
 */
final class Binder {
    private static final int SHOWN_MAX_CHARS = 40;

    /**
     * A scalar after {@code ${VAR}} expansion.
     *
     * @param shown the text to print in a message: the raw text when a variable was used, so its value never is
     */
    record Scalar(Node node, String path, String value, String shown) {}

    final ErrorCollector errors;
    private final EnvExpander env;

    Binder(ErrorCollector errors, Map<String, String> env) {
        this.errors = errors;
        this.env = new EnvExpander(env);
    }

    Optional<Scalar> scalar(Node node, String path) {
        if (!(node instanceof ScalarNode s)) {
            errors.add(node, path, "expected a value, got " + kind(node));
            return Optional.empty();
        }
        if (isNull(node)) {
            errors.add(node, path, "has no value", "remove the key to use the default");
            return Optional.empty();
        }
        int contentColumn = contentColumn(s);
        return env.expand(s.getValue(), (offset, message, hint) ->
                        errors.add(node, contentColumn < 0 ? 0 : contentColumn + offset, path, message, hint))
                .map(e -> new Scalar(node, path, e.value(), e.substituted() ? s.getValue() : e.value()));
    }

    /** The text as typed, or empty after reporting that it is empty. */
    Optional<String> string(Node node, String path) {
        return scalar(node, path).filter(s -> {
            if (s.value().isBlank()) {
                errors.add(node, path, "must not be empty");
                return false;
            }
            return true;
        }).map(Scalar::value);
    }

    Optional<Boolean> bool(Node node, String path) {
        return parsed(node, path, text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        });
    }

    Optional<Long> integer(Node node, String path, long min, long max) {
        return parsed(node, path, text -> {
            if (!text.matches("-?\\d{1,18}")) {
                throw new IllegalArgumentException("expected a whole number");
            }
            return Long.parseLong(text);
        }).filter(v -> inRange(node, path, v, min, max, Long::toString));
    }

    Optional<Long> byteSize(Node node, String path, long min, long max) {
        return scalar(node, path).flatMap(s -> {
            try {
                return Optional.of(ByteSizeText.parse(s.value()));
            } catch (IllegalArgumentException e) {
                String hint = ByteSizeText.looksLikeWrongUnit(s.value())
                        ? "sizes use binary units: B, KiB, MiB, GiB (1MiB = 1048576 bytes)" : "";
                errors.add(node, path, e.getMessage() + ", got " + quote(s.shown()), hint);
                return Optional.empty();
            }
        }).filter(v -> inRange(node, path, v, min, max, ByteSizeText::format));
    }

    Optional<Duration> duration(Node node, String path, Duration min, Duration max) {
        return scalar(node, path).flatMap(s -> {
            try {
                return Optional.of(DurationText.parse(s.value()));
            } catch (IllegalArgumentException e) {
                String hint = s.value().matches("\\d+") ? "add a unit: ms, s, m or h" : "";
                errors.add(node, path, e.getMessage() + ", got " + quote(s.shown()), hint);
                return Optional.empty();
            }
        }).filter(v -> inRange(node, path, v.toMillis(), min.toMillis(), max.toMillis(),
                ms -> DurationText.format(Duration.ofMillis(ms))));
    }

    Optional<Bitrate> bitrate(Node node, String path, Bitrate min, Bitrate max) {
        return parsed(node, path, Bitrate::parse)
                .filter(v -> inRange(node, path, v.bitsPerSecond(), min.bitsPerSecond(), max.bitsPerSecond(),
                        bits -> new Bitrate(bits).toString()));
    }

    Optional<ListenAddress> listen(Node node, String path) {
        return scalar(node, path).flatMap(s -> {
            try {
                return Optional.of(ListenAddress.parse(s.value()));
            } catch (IllegalArgumentException e) {
                errors.add(node, path, e.getMessage() + ", got " + quote(s.shown()),
                        "e.g. 127.0.0.1:1935, 0.0.0.0:1935 or [::1]:1935");
                return Optional.empty();
            }
        });
    }

    /** One of a closed set of names, e.g. an encoder; {@code what} names the set in the message. */
    <E> Optional<E> choice(Node node, String path, String what, E[] values, Function<E, String> configName) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E value : values) {
            byName.put(configName.apply(value), value);
        }
        return scalar(node, path).flatMap(s -> {
            E found = byName.get(s.value());
            if (found == null) {
                errors.add(node, path, "unknown " + what + " " + quote(s.shown()),
                        DidYouMean.hint(s.value(), byName.keySet()));
            }
            return Optional.ofNullable(found);
        });
    }

    /** A mapping; a YAML null counts as an empty one. Anything else is reported and read as empty. */
    YamlMapping mapping(Node node, String path) {
        if (node instanceof MappingNode m) {
            return new YamlMapping(this, node, path, m.getValue(), false);
        }
        if (!isNull(node)) {
            errors.add(node, path, "expected a mapping (key: value), got " + kind(node));
        }
        return new YamlMapping(this, node, path, List.of(), !isNull(node));
    }

    /** A list's items; a YAML null counts as an empty list. */
    List<Node> list(Node node, String path) {
        if (node instanceof SequenceNode s) {
            return new ArrayList<>(s.getValue());
        }
        if (!isNull(node)) {
            errors.add(node, path, "expected a list, got " + kind(node));
        }
        return List.of();
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.isPlain();
    }

    static String kind(Node node) {
        return switch (node.getNodeType()) {
            case MAPPING -> "a mapping";
            case SEQUENCE -> "a list";
            case SCALAR -> isNull(node) ? "no value" : "the value " + quote(((ScalarNode) node).getValue());
            case ANCHOR -> "an anchor";
        };
    }

    /**
     * {@code "text"}, shortened when long so a message stays one readable line. Anything that looks like a URL
     * is redacted first: a stream key written in the wrong place must not end up in a log.
     */
    static String quote(String text) {
        String safe = text.contains("://") ? Redaction.url(text) : text;
        String cut = safe.length() > SHOWN_MAX_CHARS ? safe.substring(0, SHOWN_MAX_CHARS) + "..." : safe;
        return "\"" + cut.replace("\n", "\\n") + "\"";
    }

    private <T> Optional<T> parsed(Node node, String path, Function<String, T> parser) {
        return scalar(node, path).flatMap(s -> {
            try {
                return Optional.of(parser.apply(s.value()));
            } catch (IllegalArgumentException e) {
                errors.add(node, path, e.getMessage() + ", got " + quote(s.shown()));
                return Optional.empty();
            }
        });
    }

    private boolean inRange(Node node, String path, long value, long min, long max, LongFunction<String> format) {
        if (value >= min && value <= max) {
            return true;
        }
        String range = max == Long.MAX_VALUE ? "at least " + format.apply(min)
                : "between " + format.apply(min) + " and " + format.apply(max);
        errors.add(node, path, "must be " + range + ", got " + format.apply(value));
        return false;
    }

    /**
     * The column offset of the scalar's first character of content from its start mark: 0 for plain, 1 for
     * quoted; -1 when escapes or line folding make source and value columns differ (then report at the start).
     */
    private static int contentColumn(ScalarNode s) {
        var start = s.getStartMark();
        var end = s.getEndMark();
        if (start.isEmpty() || end.isEmpty() || start.get().getLine() != end.get().getLine()) {
            return -1;
        }
        int width = end.get().getColumn() - start.get().getColumn();
        int quotes = s.getScalarStyle() == ScalarStyle.PLAIN ? 0 : 1;
        boolean simple = s.getScalarStyle() == ScalarStyle.PLAIN || s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED
                || s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED;
        return simple && width == s.getValue().length() + 2 * quotes ? quotes : -1;
    }
}
