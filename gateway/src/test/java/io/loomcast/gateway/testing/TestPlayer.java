package io.loomcast.gateway.testing;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.handshake.Handshake;
import io.loomcast.gateway.protocol.handshake.HandshakeMode;
import io.loomcast.gateway.protocol.handshake.HandshakeOptions;
import io.loomcast.gateway.protocol.message.Acknowledgement;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.PingRequest;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.protocol.message.WindowAcknowledgementSize;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal RTMP player built from our protocol classes, for tests that need many cheap players or one that
 * misbehaves: connect, createStream, play, then record every audio/video frame and every status. It answers
 * pings and acknowledges, so the server treats it as a live peer. One virtual thread reads and writes.
 * Replaceable by the session package's client once that exists.
 */
public final class TestPlayer extends Observed<TestPlayer> implements AutoCloseable {
    private static final ChunkLimits LIMITS = new ChunkLimits(16 * 1024 * 1024, 64, 16 * 1024 * 1024);

    /** How the player behaves once play is sent. */
    public enum Mode {
        /** Reads and records everything. */
        READ,
        /** Sends play, then never reads again: a stalled subscriber. */
        STALL_AFTER_PLAY
    }

    private final Socket socket = new Socket();
    private final InetSocketAddress server;
    private final String app;
    private final String streamName;
    private final Mode mode;
    private final Thread thread;

    private final List<MediaFrame> frames = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean playSent;
    private boolean ended;
    private String endReason;

    private TestPlayer(InetSocketAddress server, String app, String streamName, Mode mode, int receiveBufferBytes)
            throws IOException {
        this.server = server;
        this.app = app;
        this.streamName = streamName;
        this.mode = mode;
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        this.thread = Thread.ofVirtual().name("test-player-" + streamName).start(this::run);
    }

    /** Starts a player of {@code app/streamName}; it connects and plays in the background. */
    public static TestPlayer play(InetSocketAddress server, String app, String streamName) throws IOException {
        return new TestPlayer(server, app, streamName, Mode.READ, 0);
    }

    /** Starts a player that stops reading once play is sent; a small receive buffer makes it stall sooner. */
    public static TestPlayer stalled(InetSocketAddress server, String app, String streamName, int receiveBufferBytes)
            throws IOException {
        return new TestPlayer(server, app, streamName, Mode.STALL_AFTER_PLAY, receiveBufferBytes);
    }

    private void run() {
        String reason;
        try {
            socket.connect(server, 5_000);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = socket.getOutputStream();
            Handshake.client(in, out, HandshakeMode.simple(), HandshakeOptions.defaults(), socket::setSoTimeout);
            socket.setSoTimeout(0);
            session(in, out);
            reason = playSent && mode == Mode.STALL_AFTER_PLAY ? "stalled on purpose" : "server closed";
        } catch (IOException e) {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "player failed: " + e;
        }
        String r = reason;
        update(() -> {
            ended = true;
            endReason = r;
        });
    }

    private void session(InputStream in, OutputStream out) throws IOException {
        ChunkWriter writer = new ChunkWriter();
        String tcUrl = "rtmp://%s:%d/%s".formatted(server.getHostString(), server.getPort(), app);
        Map<String, AmfValue> props = new LinkedHashMap<>();
        props.put("app", new AmfValue.Str(app));
        props.put("flashVer", new AmfValue.Str("LNX 9,0,124,2"));
        props.put("tcUrl", new AmfValue.Str(tcUrl));
        props.put("fpad", AmfValue.Bool.FALSE);
        props.put("capabilities", new AmfValue.Num(15));
        props.put("audioCodecs", new AmfValue.Num(4071));
        props.put("videoCodecs", new AmfValue.Num(252));
        props.put("videoFunction", new AmfValue.Num(1));
        send(writer, out, CommandMessage.of(CommandMessage.CONNECT, 1, new AmfValue.Obj(props)));
        send(writer, out, CommandMessage.of(CommandMessage.CREATE_STREAM, 2, AmfValue.NULL));
        ChunkReader reader = new ChunkReader(in, LIMITS);
        long ackWindow = 0;
        long acked = 0;
        while (true) {
            RawMessage raw = reader.read();
            long now = System.nanoTime();
            Message m = MessageCodec.decode(raw);
            switch (m) {
                case SetChunkSize s -> reader.chunkSize(s.sizeBytes());
                case WindowAcknowledgementSize w -> ackWindow = w.windowBytes();
                case PingRequest p -> send(writer, out, p.response());
                case StreamBegin b -> event("StreamBegin");
                case StreamEof e -> event("StreamEOF");
                case AudioMessage a -> media(MediaFrame.of(Frame.Kind.AUDIO, a.timestamp(), a.data(), now));
                case VideoMessage v -> media(MediaFrame.of(Frame.Kind.VIDEO, v.timestamp(), v.data(), now));
                case CommandMessage c when c.name().equals(CommandMessage.RESULT) && c.transactionId() == 2 -> {
                    int streamId = c.argument(0).flatMap(AmfValue::asDouble).orElseThrow().intValue();
                    send(writer, out, new CommandMessage(AmfEncoding.AMF0, streamId, 0, CommandMessage.PLAY, 0,
                            AmfValue.NULL, List.of(new AmfValue.Str(streamName), new AmfValue.Num(-1000))));
                    update(() -> playSent = true);
                    if (mode == Mode.STALL_AFTER_PLAY) {
                        return;
                    }
                }
                case CommandMessage c when c.name().equals(CommandMessage.ON_STATUS) -> event(
                        c.argument(0).filter(AmfValue.Obj.class::isInstance).map(AmfValue.Obj.class::cast)
                                .flatMap(o -> o.string("code")).orElse("onStatus?"));
                case CommandMessage c when c.name().equals(CommandMessage.ERROR) -> event("_error");
                default -> { }
            }
            // RTMP 5.4.3: acknowledge each window's worth of bytes, as real players do.
            long read = reader.bytesRead();
            if (ackWindow > 0 && read - acked >= ackWindow) {
                acked = read;
                send(writer, out, new Acknowledgement(read & 0xFFFF_FFFFL));
            }
        }
    }

    private static void send(ChunkWriter writer, OutputStream out, Message m) throws IOException {
        writer.write(MessageCodec.encode(m), out);
        out.flush();
    }

    private void media(MediaFrame f) {
        update(() -> frames.add(f));
    }

    private void event(String e) {
        update(() -> events.add(e));
    }

    /** Audio and video frames received so far, sequence headers included. */
    public List<MediaFrame> frames() {
        return read(() -> List.copyOf(frames));
    }

    /** Status codes and stream events received so far, in order. */
    public List<String> events() {
        return read(() -> List.copyOf(events));
    }

    public boolean playSent() {
        return read(() -> playSent);
    }

    /** Whether the session is over, and why ({@code null} while running). */
    public boolean ended() {
        return read(() -> ended);
    }

    public String endReason() {
        return read(() -> endReason);
    }

    /** The local port, which the server logs as the remote address of this connection. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public void awaitEvent(String code, Duration timeout) {
        await(p -> p.events().contains(code), timeout, "'" + code + "' at player " + streamName);
    }

    /**
     * For a stalled player: waits for the server to close the connection, reading (and discarding) what it
     * had sent, until end of stream or reset. Returns false if the connection is still open at the deadline.
     */
    public boolean awaitClosedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[64 * 1024];
        while (true) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            socket.setSoTimeout((int) leftMillis);
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return read(() -> "TestPlayer[%s/%s frames=%d events=%s ended=%s %s]".formatted(app, streamName,
                frames.size(), events, ended, endReason == null ? "" : endReason));
    }
}
