package io.loomcast.benchmarks;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link ChunkWriter} splitting one {@link MediaMix} GOP into chunks, three ways:
 * <ul>
 *   <li>{@code encode}: per connection, into a caller's array ({@code encode(RawMessage, byte[], int)});</li>
 *   <li>{@code write}: per connection, through the writer's scratch array to an {@link OutputStream} that
 *       discards, so the socket is not measured;</li>
 *   <li>{@code encodeStandalone}: once per message for all subscribers (the fan-out path), a new array each.</li>
 * </ul>
 *
 * <p>One JMH operation is one payload byte, so the score in ops/us is payload MB/s (10^6 bytes per second).
 * The writer lives across invocations: each GOP starts at timestamp 0, which goes back, so its first message
 * per chunk stream gets a fmt-0 header exactly as from a fresh writer, and the bytes are the same every time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChunkWriteBenchmark {
    @Param({"128", "4096", "65536"})
    public int chunkSizeBytes;

    private List<RawMessage> gop;
    private ChunkWriter writer;
    private byte[] wire;
    private final OutputStream discard = OutputStream.nullOutputStream();

    @Setup
    public void prepare() {
        gop = MediaMix.gop();
        writer = new ChunkWriter(chunkSizeBytes);
        wire = new byte[MediaMix.encodedBytes(gop, chunkSizeBytes)];
    }

    @Benchmark
    @OperationsPerInvocation(MediaMix.PAYLOAD_BYTES)
    public int encode() {
        int at = 0;
        for (RawMessage m : gop) {
            at += writer.encode(m, wire, at);
        }
        return at;
    }

    @Benchmark
    @OperationsPerInvocation(MediaMix.PAYLOAD_BYTES)
    public void write() throws IOException {
        for (RawMessage m : gop) {
            writer.write(m, discard);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MediaMix.PAYLOAD_BYTES)
    public void encodeStandalone(Blackhole bh) {
        for (RawMessage m : gop) {
            bh.consume(ChunkWriter.encodeStandalone(m, chunkSizeBytes));
        }
    }
}
