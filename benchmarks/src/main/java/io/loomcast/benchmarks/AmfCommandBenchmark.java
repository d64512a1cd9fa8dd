package io.loomcast.benchmarks;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * AMF0 command and data messages through {@link MessageCodec}: typed message to payload (Amf0Writer under
 * it) and payload to typed message (Amf0Reader under it, plus the command checks). Chunking is not included.
 *
 * <p>Reported as ns/op; ops/s is 10^9 divided by that, since each op runs on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AmfCommandBenchmark {
    @Param({"CONNECT", "ON_STATUS", "SET_DATA_FRAME"})
    public AmfCommands command;

    private Message message;
    private RawMessage raw;

    @Setup
    public void prepare() throws ProtocolException {
        message = command.message();
        raw = MessageCodec.encode(message);
        if (!MessageCodec.decode(raw).equals(message)) {
            throw new IllegalStateException(command + " does not decode to what was encoded");
        }
    }

    @Benchmark
    public RawMessage encode() {
        return MessageCodec.encode(message);
    }

    @Benchmark
    public Message decode() throws ProtocolException {
        return MessageCodec.decode(raw);
    }
}
