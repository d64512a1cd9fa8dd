package io.loomcast.gateway.session;

import java.util.List;

/**
 * A snapshot of one connection to the RTMP server, for the API: who, doing what, for how long, how many bytes.
 *
 * @param id          the connection's name in logs, {@code c42}
 * @param peer        the remote address, {@code host:port}
 * @param kind        {@code publisher}, {@code player}, or {@code connected} before it publishes or plays
 * @param streams     the local streams it publishes or plays, {@code app/name} (no query, so no token)
 * @param startMillis wall-clock ms since the epoch when the connection was accepted
 */
public record SessionInfo(String id, String peer, String kind, List<String> streams, long startMillis, long bytesIn,
        long bytesOut) {
    public SessionInfo {
        streams = List.copyOf(streams);
    }
}
