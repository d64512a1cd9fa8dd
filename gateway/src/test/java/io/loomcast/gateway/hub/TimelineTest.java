package io.loomcast.gateway.hub;

import static io.loomcast.gateway.hub.Frame.Kind.AUDIO;
import static io.loomcast.gateway.hub.Frame.Kind.VIDEO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void firstSourceKeepsItsTimestampsEvenPast24Bits() {
        Timeline t = new Timeline();
        t.newSource();
        assertEquals(20_000_000, t.map(VIDEO, 20_000_000));
        assertEquals(20_000_040, t.map(VIDEO, 20_000_040));
    }

    @Test
    void newSourceContinuesJustAfterTheLastOutput() {
        Timeline t = new Timeline();
        t.newSource();
        t.map(VIDEO, 1000);
        t.map(AUDIO, 1010);
        t.newSource();
        // The restarted publisher starts again at 0; output continues at 1011 and keeps its spacing.
        assertEquals(1011, t.map(VIDEO, 0));
        assertEquals(1051, t.map(VIDEO, 40));
        assertEquals(1031, t.map(AUDIO, 20));
    }

    @Test
    void sourceTimestampsThatWrapAt32BitsKeepIncreasing() {
        Timeline t = new Timeline();
        t.newSource();
        long nearWrap = 0xFFFF_FFFFL - 10;
        assertEquals(nearWrap, t.map(VIDEO, nearWrap));
        assertEquals((1L << 32) + 5, t.map(VIDEO, 5));
        // A late frame from just before the wrap is clamped, never sent backwards on its track.
        assertEquals((1L << 32) + 5, t.map(VIDEO, 0xFFFF_FFFFL - 2));
        assertEquals((1L << 32) + 45, t.map(VIDEO, 45));
    }

    @Test
    void aTrackNeverGoesBack() {
        Timeline t = new Timeline();
        t.newSource();
        t.map(AUDIO, 500);
        assertEquals(500, t.map(AUDIO, 480));
        assertTrue(t.map(AUDIO, 520) >= 500);
    }

    @Test
    void aBackwardJumpInsideOneSourceIsReBasedNotFlattened() {
        Timeline t = new Timeline();
        t.newSource();
        t.map(VIDEO, 50_000);
        // The upstream's publisher restarted behind a relay that kept our connection: its clock starts again.
        assertEquals(50_001, t.map(VIDEO, 0));
        assertEquals(50_041, t.map(VIDEO, 40));
        assertEquals(1, t.discontinuities());
        // A small step back is reordering, clamped on its track rather than re-based.
        assertEquals(50_041, t.map(VIDEO, 20));
        assertEquals(1, t.discontinuities());
    }

    @Test
    void restartsManyTimesStayMonotonic() {
        Timeline t = new Timeline();
        long last = -1;
        for (int source = 0; source < 5; source++) {
            t.newSource();
            for (int i = 0; i < 10; i++) {
                long out = t.map(VIDEO, 7 * source + i * 33L);
                assertTrue(out > last, "output " + out + " after " + last);
                last = out;
            }
        }
    }
}
