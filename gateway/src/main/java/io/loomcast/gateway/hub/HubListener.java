package io.loomcast.gateway.hub;

/**
 * Hears about streams as they change, for the relay: a route's pushes start when a matching stream gets a
 * source, and an on-demand pull runs while a stream has players. It also says which streams it would start
 * for a player ({@link #startsOnDemand}). Called on the thread that caused the
 * change, outside the stream's lock; implementations hand work off and return at once.
 */
public interface HubListener {
    /** {@code stream} got a source (a publisher or a pull). */
    default void sourceStarted(String stream) {}

    /** {@code stream} lost its source. */
    default void sourceEnded(String stream) {}

    /**
     * The number of subscribers that count as demand (players, not pushes) changed to {@code demand}; a
     * {@link StreamHub#holdDemand} counts as one.
     */
    default void demandChanged(String stream, int demand) {}

    /**
     * Whether a player of {@code stream} makes this listener start it when it is not live: a rendition of a
     * profile players may start, or a stream an on-demand pull fetches. Asked on the player's thread: answer
     * from what is at hand, without blocking.
     */
    default boolean startsOnDemand(String stream) {
        return false;
    }
}
