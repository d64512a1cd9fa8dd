package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.Chunks.message;
import static io.loomcast.gateway.protocol.chunk.Chunks.pattern;
import static io.loomcast.gateway.protocol.chunk.Chunks.slice;
import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;

import java.util.List;

/**
 * The chunking examples of the RTMP spec (RTMP 5.3.2), as messages and as the bytes the spec's tables give
 * for them at the default chunk size of 128. The spec leaves payloads open; ours count up from a start byte.
 */
final class SpecVectors {
    private SpecVectors() {}

    /** RTMP 5.3.2.1: four 32-byte audio messages, csid 3, msid 12345, timestamps 1000, 1020, 1040, 1060. */
    static final List<RawMessage> EXAMPLE_1_MESSAGES = List.of(
            message(3, 8, 12345, 1000, pattern(32, 0x10)),
            message(3, 8, 12345, 1020, pattern(32, 0x30)),
            message(3, 8, 12345, 1040, pattern(32, 0x50)),
            message(3, 8, 12345, 1060, pattern(32, 0x70)));

    /** fmt 0 with everything, fmt 2 with the delta 20, then fmt 3 headers of one byte. */
    static final byte[] EXAMPLE_1_BYTES = concat(
            hex("03 0003e8 000020 08 39300000"), pattern(32, 0x10),
            hex("83 000014"), pattern(32, 0x30),
            hex("c3"), pattern(32, 0x50),
            hex("c3"), pattern(32, 0x70));

    /** RTMP 5.3.2.2: a 307-byte video message, csid 4, msid 12346, timestamp 1000. */
    static final RawMessage EXAMPLE_2_MESSAGE = message(4, 9, 12346, 1000, pattern(307, 0));

    /** One fmt-0 chunk of 128 bytes, then fmt-3 chunks of 128 and 51. */
    static final byte[] EXAMPLE_2_BYTES = concat(
            hex("04 0003e8 000133 09 3a300000"), slice(pattern(307, 0), 0, 128),
            hex("c4"), slice(pattern(307, 0), 128, 256),
            hex("c4"), slice(pattern(307, 0), 256, 307));
}
