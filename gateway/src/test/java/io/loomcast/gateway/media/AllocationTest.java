package io.loomcast.gateway.media;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub parses every media message, so the per-message path may allocate the returned record and nothing
 * else: no payload copies, no error strings built ahead of need. A rough guard until the JMH benchmark.
 */
class AllocationTest {
    /** A 12-field record is about 56 bytes; a copied payload or an eagerly built message is far more. */
    private static final long MAX_BYTES_PER_PARSE = 100;

    @Test
    void parsingAHeaderAllocatesAtMostTheRecord() throws ProtocolException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<byte[]> messages = List.of(
                FlvFile.bodies("avc-720p-high-aac.flv", 9).get(1), // legacy AVC keyframe, 3.5 KB
                MediaVectors.videoTags().get("hvc1-key-coded-frames"),
                MediaVectors.videoTags().get("av01-key-coded-frames"),
                MediaVectors.videoTags().get("modex-nano-offset"));
        List<byte[]> audio = List.of(
                FlvFile.bodies("avc-720p-high-aac.flv", 8).get(1),
                MediaVectors.audioTags().get("opus-coded-frames"));
        long sink = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            long before = threads.getCurrentThreadAllocatedBytes();
            int n = 50_000;
            for (int i = 0; i < n; i++) {
                sink += FlvTags.parseVideo(messages.get(i & 3)).payloadOffset();
                sink += FlvTags.parseAudio(audio.get(i & 1)).payloadOffset();
            }
            long perParse = (threads.getCurrentThreadAllocatedBytes() - before) / (2L * n);
            if (round == 1) {
                assertTrue(perParse <= MAX_BYTES_PER_PARSE, perParse + " bytes allocated per parse");
            }
        }
        assertTrue(sink > 0);
    }
}
