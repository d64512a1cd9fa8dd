package io.loomcast.benchmarks;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.MessageTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Two seconds of a typical live stream as RTMP messages: one 2-second GOP of 720p30 H.264 at 2.5 Mbit/s
 * (a 60,000-byte keyframe, then 59 inter frames of about 9.6 KB) and AAC-LC at 128 kbit/s, 44.1 kHz
 * (86 frames of about 372 bytes), interleaved by timestamp on the chunk streams the gateway uses.
 *
 * <p>The sizes are drawn from a fixed seed and then adjusted so each track sums to an exact constant:
 * {@link #PAYLOAD_BYTES} is a compile-time constant, so a benchmark can declare
 * {@code @OperationsPerInvocation(MediaMix.PAYLOAD_BYTES)} and JMH reports payload bytes per time unit.
 */
public final class MediaMix {
    /** 2.5 Mbit/s for 2 s, in bytes. */
    public static final int VIDEO_BYTES = 625_000;
    /** 128 kbit/s for 2 s, in bytes. */
    public static final int AUDIO_BYTES = 32_000;
    /** Payload bytes of every message in {@link #gop()}; the unit of the chunk benchmarks' throughput. */
    public static final int PAYLOAD_BYTES = VIDEO_BYTES + AUDIO_BYTES;

    static final int KEYFRAME_BYTES = 60_000;
    static final int VIDEO_FRAMES = 60;
    /** 2 s x 44100 / 1024 samples per AAC frame = 86.1. */
    static final int AUDIO_FRAMES = 86;
    private static final int MESSAGE_STREAM_ID = 1;
    private static final long SEED = 20261121L;

    private MediaMix() {}

    /** The messages of one GOP in send order, timestamps starting at 0. Payload contents are random bytes. */
    public static List<RawMessage> gop() {
        Random random = new Random(SEED);
        int[] video = sizes(random, VIDEO_FRAMES - 1, VIDEO_BYTES - KEYFRAME_BYTES, 0.4);
        int[] audio = sizes(random, AUDIO_FRAMES, AUDIO_BYTES, 0.08);
        List<RawMessage> messages = new ArrayList<>(VIDEO_FRAMES + AUDIO_FRAMES);
        int v = 0;
        int a = 0;
        while (v < VIDEO_FRAMES || a < AUDIO_FRAMES) {
            long videoTime = v * 1000L / 30;
            long audioTime = a * 1024L * 1000 / 44_100;
            if (v < VIDEO_FRAMES && (a == AUDIO_FRAMES || videoTime <= audioTime)) {
                int size = v == 0 ? KEYFRAME_BYTES : video[v - 1];
                messages.add(message(ChunkStreams.VIDEO, MessageTypes.VIDEO, videoTime, size, random));
                v++;
            } else {
                messages.add(message(ChunkStreams.AUDIO, MessageTypes.AUDIO, audioTime, audio[a], random));
                a++;
            }
        }
        return List.copyOf(messages);
    }

    /** Bytes the messages take once chunked at {@code chunkSizeBytes} by a fresh writer. */
    public static int encodedBytes(List<RawMessage> messages, int chunkSizeBytes) {
        ChunkWriter writer = new ChunkWriter(chunkSizeBytes);
        int total = 0;
        for (RawMessage m : messages) {
            total += writer.encode(m).length;
        }
        return total;
    }

    /** The messages chunked at {@code chunkSizeBytes} by a fresh writer, as a peer would send them. */
    public static byte[] chunked(List<RawMessage> messages, int chunkSizeBytes) {
        ChunkWriter writer = new ChunkWriter(chunkSizeBytes);
        byte[] bytes = new byte[encodedBytes(messages, chunkSizeBytes)];
        int at = 0;
        for (RawMessage m : messages) {
            at += writer.encode(m, bytes, at);
        }
        return bytes;
    }

    /** {@code count} sizes around {@code total / count}, spread by +-{@code spread}, summing to {@code total}. */
    private static int[] sizes(Random random, int count, int total, double spread) {
        int mean = total / count;
        int[] sizes = new int[count];
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sizes[i] = (int) (mean * (1 + spread * (2 * random.nextDouble() - 1)));
            sum += sizes[i];
        }
        // Spread the rounding error over all frames so no single frame ends up odd.
        int rest = total - sum;
        for (int i = 0; rest != 0; i = (i + 1) % count) {
            int step = Integer.signum(rest) * Math.min(Math.abs(rest), Math.max(1, Math.abs(rest) / count));
            sizes[i] += step;
            rest -= step;
        }
        return sizes;
    }

    private static RawMessage message(int chunkStreamId, int typeId, long timestamp, int size, Random random) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        return new RawMessage(chunkStreamId, typeId, MESSAGE_STREAM_ID, timestamp, payload);
    }
}
