package io.loomcast.gateway.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Binds {@code cluster}: {@code shard} (a StatefulSet pod name, whose trailing number is the ordinal, or the
 * ordinal) and {@code replicas}.
 */
final class ClusterSection {
    /** {@code 2}, or a pod name ending in {@code -2}: a StatefulSet names its pods NAME-ORDINAL. */
    private static final Pattern ORDINAL = Pattern.compile("(?:.*-)?(\\d{1,9})");

    private ClusterSection() {}

    static Optional<ClusterConfig> bind(YamlMapping m) {
        Binder binder = m.binder();
        int errorsBefore = binder.errors.count();
        Optional<Node> shardNode = m.required("shard");
        Optional<Binder.Scalar> shard = shardNode.flatMap(n -> binder.scalar(n, m.path("shard")));
        Optional<Long> replicas = m.required("replicas")
                .flatMap(n -> binder.integer(n, m.path("replicas"), 1, ClusterConfig.MAX_REPLICAS));
        m.finish();
        Optional<Integer> ordinal = shard.flatMap(s -> {
            Matcher matcher = ORDINAL.matcher(s.value().strip());
            if (!matcher.matches()) {
                binder.errors.add(s.node(), s.path(), "no ordinal in " + Binder.quote(s.shown()),
                        "give the StatefulSet pod name (NAME-ORDINAL, e.g. ${POD_NAME} from the downward API) "
                                + "or the ordinal itself");
                return Optional.empty();
            }
            return Optional.of(Integer.parseInt(matcher.group(1)));
        });
        if (ordinal.isPresent() && replicas.isPresent() && ordinal.get() >= replicas.get()) {
            binder.errors.add(shardNode.orElseThrow(), m.path("shard"), "ordinal " + ordinal.get()
                    + " is not below cluster.replicas (" + replicas.get() + ")",
                    "ordinals run from 0 to replicas - 1; set replicas to the StatefulSet's");
            return Optional.empty();
        }
        if (binder.errors.count() > errorsBefore || ordinal.isEmpty() || replicas.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClusterConfig(shard.get().value().strip(), ordinal.get(), replicas.get().intValue()));
    }
}
