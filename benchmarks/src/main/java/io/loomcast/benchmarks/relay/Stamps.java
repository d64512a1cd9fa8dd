package io.loomcast.benchmarks.relay;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency probes: a publisher whose video frames carry the {@link System#nanoTime()} at which they were
 * sent, and a player that computes each frame's age on arrival. Both run in this JVM, so the clocks agree.
 *
 * <p>A frame is an AVC NALU tag: {@code 0x17}/{@code 0x27}, packet type 1, composition time 0, then the
 * 8-byte send time and padding up to the frame size. Servers relay it like any coded frame.
 */
final class Stamps {
    static final int FPS = 30;
    static final int FRAME_BYTES = 6_000;
    static final int GOP_FRAMES = 60;
    private static final int STAMP_OFFSET = 5;

    private Stamps() {}

    /** Publishes stamped frames at {@link #FPS} on its own thread until closed. */
    static final class Publisher implements AutoCloseable {
        private final RtmpClient client;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long firstSentNanos;
        private volatile String failure;

        Publisher(String url, byte[] avcSequenceHeader) throws IOException {
            RtmpUrl u = RtmpUrl.parse(url);
            client = RtmpClient.connect(u, ClientOptions.DEFAULT.withReadTimeout(Duration.ZERO));
            int id = client.publish(u.streamName());
            client.send(new RawMessage(ChunkStreams.VIDEO, MessageTypes.VIDEO, id, 0, avcSequenceHeader), true);
            thread = Thread.ofPlatform().name("stamp publisher").start(() -> run(id));
            // Drain what the server sends (acks, pings) so its window never blocks us.
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        client.read();
                    }
                } catch (IOException closed) {
                    // Done.
                }
            });
        }

        private void run(int id) {
            long start = System.nanoTime();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / FPS;
            try {
                for (long n = 0; running; n++) {
                    long due = start + n * periodNanos;
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait); // pacing the frame rate
                    }
                    byte[] frame = new byte[FRAME_BYTES];
                    frame[0] = (byte) (n % GOP_FRAMES == 0 ? 0x17 : 0x27);
                    frame[1] = 1;
                    long now = System.nanoTime();
                    ByteBuffer.wrap(frame, STAMP_OFFSET, 8).putLong(now);
                    client.send(new RawMessage(ChunkStreams.VIDEO, MessageTypes.VIDEO, id, (n * 1000) / FPS, frame),
                            true);
                    if (n == 0) {
                        firstSentNanos = now;
                    }
                }
            } catch (IOException e) {
                failure = e.toString();
            }
        }

        /** When the first frame went out, or 0 before. */
        long firstSentNanos() {
            return firstSentNanos;
        }

        String failure() {
            return failure;
        }

        @Override
        public void close() {
            running = false;
            client.close();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Plays a URL and keeps (arrival, send time) for every stamped frame. */
    static final class Player implements AutoCloseable {
        private final RtmpClient client;
        private final Thread thread;
        private final List<long[]> samples = new ArrayList<>();

        Player(String url) throws IOException {
            RtmpUrl u = RtmpUrl.parse(url);
            client = RtmpClient.connect(u, ClientOptions.DEFAULT.withReadTimeout(Duration.ZERO));
            int id = client.createStream();
            client.play(id, u.streamName(), -1);
            thread = Thread.ofPlatform().name("stamp player").start(this::run);
        }

        private void run() {
            try {
                while (true) {
                    Message m = client.read();
                    long now = System.nanoTime();
                    if (m instanceof VideoMessage v && v.data().length >= STAMP_OFFSET + 8 && v.data()[1] == 1) {
                        long sent = ByteBuffer.wrap(v.data(), STAMP_OFFSET, 8).getLong();
                        synchronized (samples) {
                            samples.add(new long[] {now, sent});
                        }
                    }
                }
            } catch (IOException closed) {
                // Done.
            }
        }

        /** (arrival, sent) pairs so far. */
        List<long[]> samples() {
            synchronized (samples) {
                return List.copyOf(samples);
            }
        }

        /** The first frame sent at or after {@code sentNanos}: its arrival time, or 0 when none has arrived. */
        long arrivalOfFirstSentAfter(long sentNanos) {
            for (long[] s : samples()) {
                if (s[1] >= sentNanos) {
                    return s[0];
                }
            }
            return 0;
        }

        @Override
        public void close() {
            client.close();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Latencies in ms of the samples sent after {@code fromNanos}: sorted. */
    static double[] latenciesMs(List<long[]> samples, long fromNanos) {
        return samples.stream().filter(s -> s[1] >= fromNanos).mapToDouble(s -> (s[0] - s[1]) / 1e6).sorted()
                .toArray();
    }

    /** The {@code q} quantile (0..1) of sorted values, nearest rank. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String summary(double[] sorted) {
        return "n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms".formatted(sorted.length, quantile(sorted, 0.5),
                quantile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }
}
