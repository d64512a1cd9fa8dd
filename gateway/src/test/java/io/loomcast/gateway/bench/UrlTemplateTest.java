package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UrlTemplateTest {
    @Test
    void expandsIndexAndModulus() {
        UrlTemplate t = UrlTemplate.parse("rtmp://h:1936/live/s{i%10}-c{i}");
        assertEquals("s3-c3", t.expand(3).streamName());
        assertEquals("s7-c17", t.expand(17).streamName());
        assertEquals(1936, t.expand(0).port());
        assertTrue(t.perClient());
    }

    @Test
    void plainUrlIsTheSameForEveryClient() {
        UrlTemplate t = UrlTemplate.parse("rtmp://h/live/one?token=abc");
        assertEquals("one?token=abc", t.expand(5).streamName());
        assertFalse(t.perClient());
    }

    @Test
    void printedRedacted() {
        assertFalse(UrlTemplate.parse("rtmp://h/live/secretkey{i}").toString().contains("secretkey"));
    }

    @Test
    void rejectsUnknownPlaceholdersWithoutRepeatingTheUrl() {
        var e = assertThrows(IllegalArgumentException.class, () -> UrlTemplate.parse("rtmp://h/live/key{j}"));
        assertFalse(e.getMessage().contains("key"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UrlTemplate.parse("rtmp://h/live/s{i%0}"));
        assertThrows(IllegalArgumentException.class, () -> UrlTemplate.parse("http://h/live/s"));
        assertThrows(IllegalArgumentException.class, () -> UrlTemplate.parse("rtmp://h/live/{i"));
    }

    @Test
    void aShardsClientsKeepTheirIndexInTheWholeRun() {
        UrlTemplate t = UrlTemplate.parse("rtmp://h/live/s{i%4}-c{i}").slice(100);
        assertEquals("s0-c100", t.expand(0).streamName());
        assertEquals("s1-c101", t.expand(1).streamName());
        assertEquals("s3-c103", t.slice(0).expand(3).streamName());
    }

    @Test
    void shardsSliceTheClientsWithoutGapsOrOverlaps() {
        int next = 0;
        for (int i = 0; i < 7; i++) {
            BenchShard s = BenchShard.of(i, 7, 100);
            assertEquals(next, s.firstClient(), "shard " + i);
            assertTrue(s.clients() == 14 || s.clients() == 15, "sizes differ by one at most: " + s);
            next += s.clients();
        }
        assertEquals(100, next);
        assertEquals(new BenchShard(1, 3, 100, 100, 300), BenchShard.of(1, 3, 300));
        assertThrows(IllegalArgumentException.class, () -> BenchShard.of(0, 3, 2), "an empty shard");
    }
}
