package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.SubscriberQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player's queue wakes the connection's writer (unless the stream's flusher serves the player), and says in
 * the log when the player fell behind.
 */
final class PlayerQueueListener implements SubscriberQueue.Listener {
    private static final Logger log = LoggerFactory.getLogger(PlayerQueueListener.class);

    private final Connection connection;
    private final Outbound outbound;
    private final StreamRequest request;
    private volatile Playback playback;

    PlayerQueueListener(Connection connection, Outbound outbound, StreamRequest request) {
        this.connection = connection;
        this.outbound = outbound;
        this.request = request;
    }

    /** The playback this queue feeds, once it exists. */
    void playback(Playback p) {
        playback = p;
    }

    @Override
    public void available() {
        Playback p = playback;
        if (p != null) {
            p.available();
        } else {
            outbound.wakeUp();
        }
    }

    @Override
    public void burstStarted(String reason) {
        log.info("{}: player of {} fell behind, skipping to the next keyframe: {}", connection.name(), request, reason);
    }

    @Override
    public void closed(String reason) {
        outbound.wakeUp();
    }
}
