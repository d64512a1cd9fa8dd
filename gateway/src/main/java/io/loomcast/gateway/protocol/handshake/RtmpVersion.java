package io.loomcast.gateway.protocol.handshake;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * The C0/S0 version byte (RTMP 5.2.2). Only 3 is accepted. The spec says 0-2 are deprecated, 4-31 reserved and
 * 32-255 forbidden so that RTMP can be told from text protocols; 6, 8 and 9 are in practice RTMPE (encrypted
 * RTMP), which we do not speak, and 0x16 is what a TLS client sends first. Each case gets its own message so
 * a log line says what connected. RTMP 5.2.2 also lets a server answer an unrecognised version with 3 and
 * carry on; we refuse instead, because in practice any other byte is RTMPE, TLS or not RTMP at all.
 */
final class RtmpVersion {
    static final int VERSION = 3;

    private RtmpVersion() {}

    /** @param unit "C0" or "S0", for the message */
    static void check(String unit, int version) throws ProtocolException {
        int v = version & 0xFF;
        if (v == VERSION) {
            return;
        }
        String why;
        if (v == 6 || v == 8 || v == 9) {
            why = "RTMPE (encrypted RTMP) is not supported";
        } else if (v < VERSION) {
            why = "versions 0-2 are deprecated";
        } else if (v == 0x16) {
            why = "0x16 starts a TLS handshake record; an rtmps client on a plain RTMP port?";
        } else if (v < 32) {
            why = "versions 4-31 are reserved";
        } else if (v < 0x7F) {
            why = "values 32-255 are not RTMP; this is ASCII '%c', perhaps an HTTP or other text request"
                    .formatted((char) v);
        } else {
            why = "values 32-255 are not RTMP";
        }
        throw new ProtocolException("%s version 0x%02x is not %d (RTMP 5.2.2): %s".formatted(unit, v, VERSION, why));
    }
}
