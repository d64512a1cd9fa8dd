package io.loomcast.gateway.protocol.chunk;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-connection state by chunk stream id. Nearly all traffic uses the one-byte ids 2..63, so those sit in
 * an array; the rarer wide ids go to a map, so a connection never pays for 65,600 slots.
 */
final class ChunkStreamTable<T> {
    private final Object[] narrow = new Object[64];
    private final Map<Integer, T> wide = new HashMap<>();
    private int size;

    @SuppressWarnings("unchecked")
    T get(int chunkStreamId) {
        if (chunkStreamId >= 0 && chunkStreamId < narrow.length) {
            return (T) narrow[chunkStreamId];
        }
        return wide.get(chunkStreamId);
    }

    /** Adds state for an id that has none yet. */
    void add(int chunkStreamId, T state) {
        if (chunkStreamId < narrow.length) {
            narrow[chunkStreamId] = state;
        } else {
            wide.put(chunkStreamId, state);
        }
        size++;
    }

    int size() {
        return size;
    }
}
