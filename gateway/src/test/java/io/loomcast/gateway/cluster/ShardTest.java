package io.loomcast.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendezvous hashing: fixed, balanced, and moving only what must move when the replica count changes. */
class ShardTest {
    @Test
    void theScoreIsPinnedSoEveryVersionAgrees() {
        // First 8 bytes of SHA-256("restream/r0" 0x00 00000000), computed independently with sha256sum.
        assertEquals(Long.parseUnsignedLong(Sha256Cli.first8Hex("restream/r0", 0), 16),
                Rendezvous.score("restream/r0", 0));
        assertEquals(Long.parseUnsignedLong(Sha256Cli.first8Hex("live/x", 7), 16), Rendezvous.score("live/x", 7));
    }

    @Test
    void exactlyOneReplicaOwnsEachStream() {
        for (int i = 0; i < 200; i++) {
            String stream = "restream/r" + i;
            int owners = 0;
            for (int r = 0; r < 3; r++) {
                owners += new Shard(r, 3).owns(stream) ? 1 : 0;
            }
            assertEquals(1, owners, stream);
        }
    }

    @Test
    void streamsSpreadEvenlyAndMoveOnlyToANewReplica() {
        Map<Integer, Integer> perReplica = new HashMap<>();
        int moved = 0;
        int streams = 3000;
        for (int i = 0; i < streams; i++) {
            String stream = "live/s" + i;
            int three = Rendezvous.owner(stream, 3);
            int four = Rendezvous.owner(stream, 4);
            perReplica.merge(three, 1, Integer::sum);
            if (four != three) {
                moved++;
                assertEquals(3, four, "a stream that moves goes to the new replica, never between old ones");
            }
        }
        perReplica.values().forEach(n -> assertTrue(Math.abs(n - streams / 3) < streams / 3 * 0.1,
                "balanced: " + perReplica));
        assertTrue(Math.abs(moved - streams / 4) < streams / 4 * 0.15, "about a quarter moves: " + moved);
    }

    @Test
    void shardsAreWrittenIOverN() {
        assertEquals(new Shard(1, 3), Shard.parse("1/3"));
        assertEquals("1/3", new Shard(1, 3).toString());
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("3/3"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("1-3"));
        assertTrue(Shard.ALONE.owns("any/thing"));
    }
}
