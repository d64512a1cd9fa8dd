package io.loomcast.gateway.config;

/**
 * This process as one replica of several (a StatefulSet's pods): routes that pull and push run on exactly one
 * replica, chosen by the {@code cluster} package from the stream name. Present only when the file has a
 * {@code cluster} section.
 *
 * @param shard    as written after {@code ${VAR}} expansion: a pod name such as {@code loomcast-restream-2}, or
 *                 the ordinal itself
 * @param ordinal  this replica's number, 0 .. replicas - 1: the pod name's trailing number
 * @param replicas how many replicas share the routes
 */
public record ClusterConfig(String shard, int ordinal, int replicas) {
    /** More replicas than this is a typo rather than a cluster. */
    public static final int MAX_REPLICAS = 1000;

    public ClusterConfig {
        if (replicas < 1 || replicas > MAX_REPLICAS || ordinal < 0 || ordinal >= replicas) {
            throw new IllegalArgumentException("shard %d of %d".formatted(ordinal, replicas));
        }
    }
}
