package io.loomcast.gateway.bench;

import io.loomcast.gateway.bench.BenchMetrics.Timing;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated publisher, on its own virtual thread: publish, then send the file's tags each at its time
 * (real-time pacing), looping if asked with timestamps that keep rising across loops. In latency mode each
 * H.264 frame carries its send time ({@link LatencyStamp}). A second virtual thread reads what the origin
 * sends back (acknowledgements, pings, statuses), so it never backs up.
 */
final class Publisher extends SimulatedClient {
    private static final long UINT32 = 0xFFFF_FFFFL;

    private final MediaFile media;
    private final boolean loop;
    private final boolean stamp;
    private volatile long tagsSent;

    Publisher(RtmpUrl url, BenchSettings settings, BenchMetrics metrics, ClientRegistry registry,
              CountDownLatch finished) {
        super(url, settings, metrics, registry, finished);
        this.media = settings.media().orElseThrow();
        this.stamp = settings.mode() == BenchMode.LATENCY;
        this.loop = settings.loop() || stamp;
    }

    @Override
    protected void session(RtmpClient client, long startNanos) throws IOException {
        int streamId = client.publish(url.streamName());
        metrics.record(Timing.PUBLISH_START, System.nanoTime() - startNanos);
        streaming();
        Thread.ofVirtual().name(Thread.currentThread().getName() + "-reader").start(() -> drain(client));
        send(client, streamId);
        client.unpublish(url.streamName(), streamId);
    }

    /** Tags handed to the connection: a publisher stuck in a write stops counting, and the watchdog sees it. */
    @Override
    protected long progress() {
        return tagsSent;
    }

    /** Sends every tag at its due time; returns at the end of the file (without loop) or when the run stops. */
    private void send(RtmpClient client, int streamId) throws IOException {
        long base = System.nanoTime();
        for (long pass = 0; pass == 0 || loop; pass++) {
            for (MediaFile.Tag tag : media.tags()) {
                if (pass > 0 && tag.config()) {
                    continue;
                }
                long timestampMs = tag.relativeMs() + pass * media.loopMs();
                long wait = base + timestampMs * 1_000_000 - System.nanoTime();
                if (wait > 0) {
                    client.flush();
                    tagsSent++;
                    LockSupport.parkNanos(wait); // pacing to the file's timestamps
                }
                if (registry.stopping()) {
                    return;
                }
                byte[] body = tag.body();
                if (stamp && tag.typeId() == MessageTypes.VIDEO && LatencyStamp.stampable(body)) {
                    body = LatencyStamp.stamp(body, System.nanoTime());
                }
                client.send(new RawMessage(tag.chunkStreamId(), tag.typeId(), streamId, timestampMs & UINT32, body),
                        false);
                tagsSent++;
                metrics.bytesSent.add(body.length);
                if (tag.videoFrame()) {
                    metrics.framesSent.increment();
                }
            }
        }
        client.flush();
    }

    /** Reads and drops what the origin sends; the client answers pings and applies control as it reads. */
    private static void drain(RtmpClient client) {
        try {
            while (true) {
                client.readRaw();
            }
        } catch (IOException | RuntimeException e) {
            // The socket closed: the publisher's own send reports any failure.
        }
    }
}
