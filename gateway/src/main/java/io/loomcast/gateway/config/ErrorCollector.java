package io.loomcast.gateway.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects every problem of one file, so the user sees them all at once; binding never stops at the first. */
final class ErrorCollector {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    ErrorCollector(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void add(Node at, String path, String message) {
        add(at, 0, path, message, "");
    }

    void add(Node at, String path, String message, String hint) {
        add(at, 0, path, message, hint);
    }

    /** A problem {@code columnOffset} characters after the start of {@code at} (a spot inside a scalar). */
    void add(Node at, int columnOffset, String path, String message, String hint) {
        add(at.getStartMark(), columnOffset, path, message, hint);
    }

    void add(Optional<Mark> mark, int columnOffset, String path, String message, String hint) {
        // snakeyaml marks are 0-based; editors and people count from 1.
        int line = mark.map(m -> m.getLine() + 1).orElse(0);
        int column = mark.map(m -> m.getColumn() + 1 + columnOffset).orElse(0);
        // Each node knows the source it was read from: the config file, the API state file or a request body.
        String source = mark.map(Mark::getName).filter(n -> !n.isEmpty()).orElse(file);
        errors.add(new ConfigError(source, line, column, path, message, hint));
    }

    void addUnpositioned(String message) {
        errors.add(new ConfigError(file, 0, 0, "", message, ""));
    }

    /** How many problems so far: a cross-field check runs only if its fields added none. */
    int count() {
        return errors.size();
    }

    /** The problems by position; problems at the same position stay in the order they were found. */
    List<ConfigError> sorted() {
        List<ConfigError> out = new ArrayList<>(errors);
        out.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        return out;
    }
}
