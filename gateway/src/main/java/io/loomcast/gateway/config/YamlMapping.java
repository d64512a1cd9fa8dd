package io.loomcast.gateway.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One YAML mapping being bound. Every key the schema asks for becomes known; {@link #finish()} then reports the
 * keys nobody asked for, with the closest known key as a hint. Duplicate keys are reported as they are found.
 */
final class YamlMapping {
    private final Binder binder;
    private final Node at;
    private final String path;
    private final boolean broken;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    /**
     * @param at     where problems of the mapping as a whole (a missing key) are reported
     * @param broken the node was not a mapping (already reported): do not also report its keys as missing
     */
    YamlMapping(Binder binder, Node at, String path, List<NodeTuple> tuples, boolean broken) {
        this.binder = binder;
        this.at = at;
        this.path = path;
        this.broken = broken;
        for (NodeTuple tuple : tuples) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode k) || Binder.isNull(keyNode)) {
                binder.errors.add(keyNode, path, "a key must be a plain name, got " + Binder.kind(keyNode));
                continue;
            }
            NodeTuple first = entries.putIfAbsent(k.getValue(), tuple);
            if (first != null) {
                binder.errors.add(keyNode, path(k.getValue()), "duplicate key", first.getKeyNode().getStartMark()
                        .map(m -> "first at line " + (m.getLine() + 1)).orElse(""));
            }
        }
    }

    Binder binder() {
        return binder;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Where problems of the whole mapping are reported. */
    Node at() {
        return at;
    }

    /** The value of {@code key}, if the file has it; marks the key as known. */
    Optional<Node> node(String key) {
        known.add(key);
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
    }

    /** Like {@link #node}, reporting a missing key. */
    Optional<Node> required(String key) {
        Optional<Node> node = node(key);
        if (node.isEmpty() && !broken) {
            binder.errors.add(at, path, "missing required key '" + key + "'");
        }
        return node;
    }

    /** Every entry, for mappings whose keys are names the user chooses (profiles); marks them all known. */
    Map<String, NodeTuple> entries() {
        known.addAll(entries.keySet());
        return entries;
    }

    /** The key's own node (for a problem about the key rather than its value). */
    Optional<Node> keyNode(String key) {
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getKeyNode);
    }

    YamlMapping mapping(String key) {
        return node(key).map(n -> binder.mapping(n, path(key)))
                .orElseGet(() -> new YamlMapping(binder, at, path(key), List.of(), true));
    }

    List<Node> list(String key) {
        return node(key).map(n -> binder.list(n, path(key))).orElse(List.of());
    }

    boolean bool(String key, boolean fallback) {
        return node(key).flatMap(n -> binder.bool(n, path(key))).orElse(fallback);
    }

    long integer(String key, long fallback, long min, long max) {
        return node(key).flatMap(n -> binder.integer(n, path(key), min, max)).orElse(fallback);
    }

    long bytes(String key, long fallback, long min, long max) {
        return node(key).flatMap(n -> binder.byteSize(n, path(key), min, max)).orElse(fallback);
    }

    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        return node(key).flatMap(n -> binder.duration(n, path(key), min, max)).orElse(fallback);
    }

    Bitrate bitrate(String key, Bitrate fallback, Bitrate min, Bitrate max) {
        return node(key).flatMap(n -> binder.bitrate(n, path(key), min, max)).orElse(fallback);
    }

    ListenAddress listen(String key, ListenAddress fallback) {
        return node(key).flatMap(n -> binder.listen(n, path(key))).orElse(fallback);
    }

    <E> E choice(String key, E fallback, String what, E[] values, Function<E, String> configName) {
        return node(key).flatMap(n -> binder.choice(n, path(key), what, values, configName)).orElse(fallback);
    }

    /** Reports every key that the schema did not ask for. Call after reading all keys. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                String hint = e.getKey().equals("<<") ? "YAML merge keys are not supported; repeat the keys"
                        : DidYouMean.hint(e.getKey(), known);
                binder.errors.add(e.getValue().getKeyNode(), path(e.getKey()), "unknown key", hint);
            }
        }
    }
}
