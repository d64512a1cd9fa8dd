package io.loomcast.gateway.cluster;

import io.loomcast.gateway.config.ClusterConfig;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.RouteConfig;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replica among {@code replicas}: it owns the streams that {@link Rendezvous} gives its ordinal. Routes that
 * pull and push ({@link RouteConfig#pullsAndPushes()}) run only on the owner of their stream; Kubernetes keeps at
 * most one pod per StatefulSet ordinal and restarts a dead one, which makes each such route run once.
 *
 * @param ordinal  0 .. replicas - 1
 * @param replicas how many replicas share the routes
 */
public record Shard(int ordinal, int replicas) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    /** The only replica: owns everything. */
    public static final Shard ALONE = new Shard(0, 1);

    public Shard {
        if (replicas < 1 || ordinal < 0 || ordinal >= replicas) {
            throw new IllegalArgumentException("a shard is I/N with 0 <= I < N, got %d/%d".formatted(ordinal, replicas));
        }
    }

    /**
     * {@code I/N}: replica I (from 0) of N.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static Shard parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a shard as I/N, e.g. 0/3 (I from 0 to N-1), got \"" + text
                    + "\"");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The config's {@code cluster} section, or {@link #ALONE} without one. */
    public static Shard of(GatewayConfig config) {
        return config.cluster().map(Shard::of).orElse(ALONE);
    }

    public static Shard of(ClusterConfig cluster) {
        return new Shard(cluster.ordinal(), cluster.replicas());
    }

    /** Whether this replica owns {@code stream} ({@code app/name}). */
    public boolean owns(String stream) {
        return replicas == 1 || Rendezvous.owner(stream, replicas) == ordinal;
    }

    /** The exact routes that pull and push and that this replica runs, in file order. */
    public List<RouteConfig> ownedRoutes(GatewayConfig config) {
        return shardedRoutes(config).stream().filter(r -> r.isWildcard() || owns(r.stream())).toList();
    }

    /** Every route that pulls and pushes, which the replicas split between them, in file order. */
    public static List<RouteConfig> shardedRoutes(GatewayConfig config) {
        return config.routes().stream().filter(RouteConfig::pullsAndPushes).toList();
    }

    @Override
    public String toString() {
        return ordinal + "/" + replicas;
    }
}
