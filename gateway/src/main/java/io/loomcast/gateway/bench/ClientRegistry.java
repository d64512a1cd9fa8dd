package io.loomcast.gateway.bench;

import io.loomcast.gateway.session.RtmpClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connected clients, so the end of the run can close them all: closing the socket is what wakes a client
 * blocked in a read. After {@link #stopAll()} a client that connects late is closed at once.
 */
final class ClientRegistry {
    private final Set<RtmpClient> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Adds a freshly connected client; false (and closes it) when the run is already stopping. */
    boolean add(RtmpClient client) {
        open.add(client);
        if (stopping) {
            remove(client);
            return false;
        }
        return true;
    }

    void remove(RtmpClient client) {
        open.remove(client);
        client.close();
    }

    /** Whether the run is ending: an I/O error now is the run closing the client, not a failure. */
    boolean stopping() {
        return stopping;
    }

    void stopAll() {
        stopping = true;
        for (RtmpClient client : open) {
            remove(client);
        }
    }
}
