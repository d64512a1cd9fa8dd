package io.loomcast.gateway.routing;

/**
 * Which streams' restream routes (routes that pull and push) this process runs. A cluster of replicas gives
 * each such stream to one of them (the {@code cluster} package decides); a single gateway runs them all.
 */
@FunctionalInterface
public interface StreamOwnership {
    /** A gateway on its own: every stream is its own. */
    StreamOwnership ALL = stream -> true;

    /** Whether this process runs the routes of {@code stream} ({@code app/name}) that pull and push. */
    boolean owns(String stream);
}
