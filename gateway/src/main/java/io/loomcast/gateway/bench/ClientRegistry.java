package io.loomcast.gateway.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connected clients, so the watchdog can check them and the end of the run can close them all: closing
 * the socket is what wakes a client blocked in a read. After {@link #stopAll()} a client that connects late
 * is closed at once.
 */
final class ClientRegistry {
    private final Set<SimulatedClient> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Adds a freshly connected client; false (and closes it) when the run is already stopping. */
    boolean add(SimulatedClient client) {
        open.add(client);
        if (stopping) {
            remove(client);
            return false;
        }
        return true;
    }

    void remove(SimulatedClient client) {
        open.remove(client);
        client.close();
    }

    /** Whether the run is ending: an I/O error now is the run closing the client, not a failure. */
    boolean stopping() {
        return stopping;
    }

    /** The watchdog's round. */
    void check(long nowNanos) {
        for (SimulatedClient client : open) {
            client.check(nowNanos);
        }
    }

    void stopAll() {
        stopping = true;
        for (SimulatedClient client : open) {
            remove(client);
        }
    }
}
