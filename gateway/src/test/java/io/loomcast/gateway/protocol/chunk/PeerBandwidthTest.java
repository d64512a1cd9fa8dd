package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.PeerBandwidth.LimitType.DYNAMIC;
import static io.loomcast.gateway.protocol.chunk.PeerBandwidth.LimitType.HARD;
import static io.loomcast.gateway.protocol.chunk.PeerBandwidth.LimitType.SOFT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** RTMP 5.4.5 limit types and the Window Acknowledgement Size they call for. */
class PeerBandwidthTest {

    @Test
    void hardSetsTheLimitAndAsksForAWindowAckSizeWhenItDiffers() {
        PeerBandwidth bandwidth = new PeerBandwidth(2_500_000);
        assertEquals(OptionalInt.empty(), bandwidth.limitBytes());
        assertEquals(OptionalInt.empty(), bandwidth.onSetPeerBandwidth(2_500_000, HARD));
        assertEquals(OptionalInt.of(2_500_000), bandwidth.limitBytes());
        assertEquals(OptionalInt.of(5_000_000), bandwidth.onSetPeerBandwidth(5_000_000, HARD));
        assertEquals(5_000_000, bandwidth.windowAckSizeSentBytes());
        assertEquals(OptionalInt.empty(), bandwidth.onSetPeerBandwidth(5_000_000, HARD));
        assertEquals(Optional.of(HARD), bandwidth.limitType());
    }

    @Test
    void softTakesTheSmallerOfTheCurrentAndTheNew() {
        PeerBandwidth bandwidth = new PeerBandwidth(0);
        assertEquals(OptionalInt.of(3_000), bandwidth.onSetPeerBandwidth(3_000, SOFT));
        assertEquals(OptionalInt.empty(), bandwidth.onSetPeerBandwidth(9_000, SOFT));
        assertEquals(OptionalInt.of(3_000), bandwidth.limitBytes());
        assertEquals(OptionalInt.of(1_000), bandwidth.onSetPeerBandwidth(1_000, SOFT));
        assertEquals(Optional.of(SOFT), bandwidth.limitType());
    }

    @Test
    void dynamicActsAsHardAfterHard() {
        PeerBandwidth bandwidth = new PeerBandwidth(0);
        bandwidth.onSetPeerBandwidth(1_000, HARD);
        assertEquals(OptionalInt.of(8_000), bandwidth.onSetPeerBandwidth(8_000, DYNAMIC));
        assertEquals(Optional.of(HARD), bandwidth.limitType());
        assertEquals(OptionalInt.of(8_000), bandwidth.limitBytes());
    }

    @Test
    void dynamicIsIgnoredAfterSoftOrBeforeAnyLimit() {
        PeerBandwidth fresh = new PeerBandwidth(0);
        assertEquals(OptionalInt.empty(), fresh.onSetPeerBandwidth(8_000, DYNAMIC));
        assertEquals(OptionalInt.empty(), fresh.limitBytes());

        PeerBandwidth soft = new PeerBandwidth(0);
        soft.onSetPeerBandwidth(1_000, SOFT);
        assertEquals(OptionalInt.empty(), soft.onSetPeerBandwidth(8_000, DYNAMIC));
        assertEquals(OptionalInt.of(1_000), soft.limitBytes());
    }

    @Test
    void limitTypesFromTheWire() throws ProtocolException {
        assertEquals(HARD, PeerBandwidth.LimitType.fromWire(0));
        assertEquals(SOFT, PeerBandwidth.LimitType.fromWire(1));
        assertEquals(DYNAMIC, PeerBandwidth.LimitType.fromWire(2));
        assertEquals(2, DYNAMIC.wireValue());
        assertThrows(ProtocolException.class, () -> PeerBandwidth.LimitType.fromWire(3));
    }

    @Test
    void unacknowledgedBytesAcrossTheSequenceNumberWrap() {
        PeerBandwidth bandwidth = new PeerBandwidth(0);
        assertEquals(700, bandwidth.unacknowledgedBytes(700));
        bandwidth.onAcknowledgement(0xFFFF_FF00L);
        assertEquals(0x100 + 50, bandwidth.unacknowledgedBytes(0x1_0000_0000L + 50));
        assertThrows(IllegalArgumentException.class, () -> bandwidth.onAcknowledgement(0x1_0000_0000L));
    }
}
