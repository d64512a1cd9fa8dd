package io.loomcast.gateway.protocol.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AckWindowTest {

    @Test
    void nothingIsDueUntilThePeerSetsAWindow() {
        AckWindow acks = new AckWindow();
        assertEquals(OptionalLong.empty(), acks.acknowledgementDue(10_000_000));
        assertEquals(0, acks.windowBytes());
    }

    @Test
    void dueEveryWindowWithTheTotalSoFar() {
        AckWindow acks = new AckWindow();
        acks.windowBytes(100);
        assertEquals(OptionalLong.empty(), acks.acknowledgementDue(99));
        assertEquals(OptionalLong.of(100), acks.acknowledgementDue(100));
        assertEquals(OptionalLong.empty(), acks.acknowledgementDue(199));
        assertEquals(OptionalLong.of(230), acks.acknowledgementDue(230));
        assertEquals(OptionalLong.empty(), acks.acknowledgementDue(329));
        assertEquals(230, acks.bytesAcknowledged());
    }

    @Test
    void oneAcknowledgementCoversManyWindows() {
        AckWindow acks = new AckWindow();
        acks.windowBytes(10);
        assertEquals(OptionalLong.of(1_000), acks.acknowledgementDue(1_000));
        assertEquals(OptionalLong.empty(), acks.acknowledgementDue(1_009));
    }

    @Test
    void aWindowSetLateCountsFromTheLastAcknowledgement() {
        AckWindow acks = new AckWindow();
        acks.windowBytes(2_500_000);
        acks.acknowledgementDue(2_500_000);
        acks.windowBytes(1_000);
        assertEquals(OptionalLong.of(2_501_000), acks.acknowledgementDue(2_501_000));
    }

    @Test
    void sequenceNumberWrapsAt2To32() {
        AckWindow acks = new AckWindow();
        acks.windowBytes(1_000_000);
        assertEquals(OptionalLong.of(0xFFFF_FFFFL), acks.acknowledgementDue(0xFFFF_FFFFL));
        assertEquals(OptionalLong.of(999_999), acks.acknowledgementDue(0x1_0000_0000L + 999_999));
        assertEquals(5, AckWindow.sequenceNumber(3 * 0x1_0000_0000L + 5));
    }

    @Test
    void rejectsNonsense() {
        AckWindow acks = new AckWindow();
        assertThrows(IllegalArgumentException.class, () -> acks.windowBytes(0));
        acks.windowBytes(1);
        acks.acknowledgementDue(50);
        assertThrows(IllegalArgumentException.class, () -> acks.acknowledgementDue(49));
    }
}
