package io.loomcast.benchmarks;

import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.io.IOException;
import java.util.Arrays;
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
 * {@link ChunkReader} reassembling one {@link MediaMix} GOP from bytes already in memory: header parsing,
 * per-chunk-stream state and the payload copies, without a socket.
 *
 * <p>One JMH operation is one payload byte ({@code @OperationsPerInvocation(MediaMix.PAYLOAD_BYTES)}), so the
 * score in ops/us is payload MB/s (10^6 bytes per second). Each invocation starts a fresh reader, as a new
 * connection would, and tells it the chunk size as a Set Chunk Size would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChunkReadBenchmark {
    @Param({"128", "4096", "65536"})
    public int chunkSizeBytes;

    private ReplayInputStream wire;
    private int messagesPerGop;

    @Setup
    public void chunkTheGop() throws IOException {
        List<RawMessage> gop = MediaMix.gop();
        messagesPerGop = gop.size();
        wire = new ReplayInputStream(MediaMix.chunked(gop, chunkSizeBytes));
        checkReadsBack(gop);
    }

    /** Fails the run if the reader does not return the very messages that were chunked. */
    private void checkReadsBack(List<RawMessage> gop) throws IOException {
        ChunkReader reader = new ChunkReader(wire, ChunkLimits.DEFAULT);
        reader.chunkSize(chunkSizeBytes);
        for (RawMessage sent : gop) {
            RawMessage got = reader.read();
            if (got.chunkStreamId() != sent.chunkStreamId() || got.timestamp() != sent.timestamp()
                    || !Arrays.equals(got.payload(), sent.payload())) {
                throw new IllegalStateException("read back %s, sent %s".formatted(got, sent));
            }
        }
        if (wire.available() != 0) {
            throw new IllegalStateException(wire.available() + " bytes left after the last message");
        }
    }

    @Benchmark
    @OperationsPerInvocation(MediaMix.PAYLOAD_BYTES)
    public void read(Blackhole bh) throws IOException {
        wire.rewind();
        ChunkReader reader = new ChunkReader(wire, ChunkLimits.DEFAULT);
        reader.chunkSize(chunkSizeBytes);
        for (int i = 0; i < messagesPerGop; i++) {
            RawMessage message = reader.read();
            bh.consume(message);
        }
    }
}
