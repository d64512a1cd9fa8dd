package io.loomcast.gateway.session;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.AckWindow;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.ControlReply;
import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import io.loomcast.gateway.protocol.chunk.PeerBandwidth;
import io.loomcast.gateway.protocol.chunk.ProtocolControl;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.handshake.DigestScheme;
import io.loomcast.gateway.protocol.handshake.Handshake;
import io.loomcast.gateway.protocol.handshake.HandshakeMode;
import io.loomcast.gateway.protocol.handshake.HandshakeOptions;
import io.loomcast.gateway.protocol.message.Abort;
import io.loomcast.gateway.protocol.message.Acknowledgement;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.ControlMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.protocol.message.PingRequest;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import io.loomcast.gateway.protocol.message.SetPeerBandwidth;
import io.loomcast.gateway.protocol.message.WindowAcknowledgementSize;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of an RTMP connection, for pulls, pushes and the load benchmark: connect (TCP, TLS for
 * rtmps, handshake, NetConnection connect), then createStream with play or publish, then messages.
 *
 * <p>One thread reads ({@link #read()}); any thread may write (a lock serialises the chunk writer, and the
 * reader's own acknowledgements and ping answers take the same lock). Protocol control from the server is
 * applied inside {@link #read()} and never returned. Timing is measured per phase so the benchmark can
 * report connect, handshake and command times.
 */
public final class RtmpClient implements AutoCloseable {
    private final Socket socket;
    /** The plain TCP channel under {@link #socket}, for gathering writes of shared bytes; null over TLS. */
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final ClientOptions options;
    private final RtmpUrl url;
    private final ChunkReader reader;
    private final ProtocolControl control;
    private final ChunkWriter writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ArrayDeque<Message> pending = new ArrayDeque<>();
    private final CountingInput counted;
    /** The buffer under {@link #in}: what it holds is handed to the chunk reader when a selector takes over. */
    private final ReadBuffer readBuffer;
    private double nextTransaction = 1;
    private volatile long writeStartedNanos;
    /** The rest of a {@link #tryWriteShared} the socket did not take; written first by the next write. */
    private ByteBuffer[] unsent;

    /** Nanos spent in each phase of {@link #connect}. */
    public record Timings(long tcpNanos, long handshakeNanos, long connectCommandNanos) {}

    private Timings timings;

    private RtmpClient(Socket socket, SocketChannel channel, ReadBuffer in, OutputStream out, RtmpUrl url,
            ClientOptions options) {
        this.socket = socket;
        this.channel = channel;
        this.readBuffer = in;
        this.counted = new CountingInput(in);
        this.in = counted;
        this.out = out;
        this.url = url;
        this.options = options;
        this.reader = new ChunkReader(this.in, options.chunkLimits());
        this.control = new ProtocolControl(reader, options.chunkLimits(), new AckWindow(),
                new PeerBandwidth(options.windowAckSizeBytes()));
        this.writer = new ChunkWriter();
    }

    /** Opens TCP (and TLS), handshakes and sends connect for {@code url}'s app; returns once connected. */
    public static RtmpClient connect(RtmpUrl url, ClientOptions options) throws IOException {
        long t0 = System.nanoTime();
        // A channel's socket: its streams serve the handshake and the commands (with read timeouts), and the
        // channel itself takes gathering writes of shared, pre-chunked media (writeShared).
        SocketChannel channel = SocketChannel.open();
        Socket plain = channel.socket();
        Socket socket = plain;
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(url.host(), url.port()), (int) options.connectTimeout().toMillis());
            plain.setSoTimeout((int) options.handshakeTimeout().toMillis());
            if (url.tls()) {
                socket = ClientTls.wrap(plain, url.host(), url.port(), options.caFile());
            }
            long t1 = System.nanoTime();
            ReadBuffer in = new ReadBuffer(socket.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(url.tls() ? socket.getOutputStream()
                    : new ChannelOutput(channel, socket.getOutputStream()), 64 * 1024);
            HandshakeMode mode = options.digestHandshake() ? new HandshakeMode.Digest(DigestScheme.SCHEME_0)
                    : new HandshakeMode.Simple();
            Socket s = socket;
            Handshake.client(in, out, mode, HandshakeOptions.defaults().withTimeout(options.handshakeTimeout()),
                    s::setSoTimeout);
            long t2 = System.nanoTime();
            RtmpClient client = new RtmpClient(socket, url.tls() ? null : channel, in, out, url, options);
            socket.setSoTimeout((int) options.responseTimeout().toMillis());
            client.sendConnect();
            client.timings = new Timings(t1 - t0, t2 - t1, System.nanoTime() - t2);
            socket.setSoTimeout((int) options.readTimeout().toMillis());
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Timings timings() {
        return timings;
    }

    public RtmpUrl url() {
        return url;
    }

    private String tcUrl() {
        boolean defaultPort = url.port() == (url.tls() ? 443 : 1935);
        return url.scheme() + "://" + url.host() + (defaultPort ? "" : ":" + url.port()) + "/" + url.app();
    }

    private void sendConnect() throws IOException {
        var props = new LinkedHashMap<String, AmfValue>();
        props.put("app", new AmfValue.Str(url.app()));
        props.put("type", new AmfValue.Str("nonprivate"));
        props.put("flashVer", new AmfValue.Str(options.flashVer()));
        props.put("tcUrl", new AmfValue.Str(tcUrl()));
        props.put("fpad", AmfValue.Bool.FALSE);
        props.put("capabilities", new AmfValue.Num(15));
        props.put("audioCodecs", new AmfValue.Num(4071));
        props.put("videoCodecs", new AmfValue.Num(252));
        props.put("videoFunction", new AmfValue.Num(1));
        send(new SetChunkSize(options.chunkSizeBytes()));
        writeLocked(() -> writer.chunkSize(options.chunkSizeBytes()));
        send(new WindowAcknowledgementSize(options.windowAckSizeBytes()));
        if (options.peerBandwidthBytes() > 0) {
            send(new SetPeerBandwidth(options.peerBandwidthBytes(), PeerBandwidth.LimitType.DYNAMIC));
        }
        call(CommandMessage.of(CommandMessage.CONNECT, nextTransaction++, new AmfValue.Obj(props)));
    }

    /** createStream; returns the message stream id the server gave. */
    public int createStream() throws IOException {
        CommandMessage result = call(CommandMessage.of(CommandMessage.CREATE_STREAM, nextTransaction++, AmfValue.NULL));
        return result.argument(0).flatMap(AmfValue::asDouble).map(Double::intValue)
                .orElseThrow(() -> new ProtocolException("createStream _result carries no stream id"));
    }

    /** play {@code name} (with any query) on {@code streamId}; returns when NetStream.Play.Start arrives. */
    public void play(int streamId, String name, double start) throws IOException {
        send(new CommandMessage(AmfEncoding.AMF0, streamId, 0,
                CommandMessage.PLAY, 0, AmfValue.NULL, List.of(new AmfValue.Str(name), new AmfValue.Num(start))));
        awaitStatus("play", "NetStream.Play.Start", streamId);
    }

    /**
     * play with its Reset argument (RTMP 7.2.2.1): {@code reset} replaces what {@code streamId} plays; without it
     * the server may keep both. Returns when NetStream.Play.Start for {@code streamId} arrives.
     */
    public void play(int streamId, String name, double start, boolean reset) throws IOException {
        send(new CommandMessage(AmfEncoding.AMF0, streamId, 0, CommandMessage.PLAY, 0, AmfValue.NULL,
                List.of(new AmfValue.Str(name), new AmfValue.Num(start), new AmfValue.Num(-1), reset ? AmfValue.Bool.TRUE : AmfValue.Bool.FALSE)));
        awaitStatus("play", "NetStream.Play.Start", streamId);
    }

    /**
     * play2 on a stream that plays (NetStreamPlayOptions: {@code streamName}, {@code oldStreamName} unless empty,
     * {@code transition}: switch, swap, reset, stop, append, appendAndWait). Returns once the server accepted it:
     * NetStream.Play.Transition for a switch, Play.Start for reset, Play.Stop for stop; throws
     * {@link CommandRejectedException} with the server's code (StreamNotFound, Failed) otherwise. A switch
     * happens later, at the new stream's keyframe: onPlayStatus NetStream.Play.TransitionComplete, which
     * {@link #read()} returns like any message. Messages that arrive meanwhile are kept for {@link #read()}.
     */
    public void play2(int streamId, String streamName, String oldStreamName, String transition) throws IOException {
        sendPlay2(streamId, streamName, oldStreamName, transition);
        String accepted = switch (transition) {
            case "reset" -> "NetStream.Play.Start";
            case "stop" -> "NetStream.Play.Stop";
            default -> "NetStream.Play.Transition";
        };
        awaitStatus("play2", accepted, streamId);
    }

    /** Sends play2 as {@link #play2} does and returns at once, for a reader that sees the answers in its own loop. */
    public void sendPlay2(int streamId, String streamName, String oldStreamName, String transition) throws IOException {
        Map<String, AmfValue> options = new LinkedHashMap<>();
        options.put("streamName", new AmfValue.Str(streamName));
        if (!oldStreamName.isEmpty()) {
            options.put("oldStreamName", new AmfValue.Str(oldStreamName));
        }
        options.put("transition", new AmfValue.Str(transition));
        options.put("start", new AmfValue.Num(-2));
        options.put("len", new AmfValue.Num(-1));
        send(new CommandMessage(AmfEncoding.AMF0, streamId, 0, "play2", 0, AmfValue.NULL,
                List.of(new AmfValue.Obj(options))));
    }

    /** seek to {@code ms}; the server's answer (Seek.Notify, then the media again) comes through {@link #read()}. */
    public void seek(int streamId, double ms) throws IOException {
        send(new CommandMessage(AmfEncoding.AMF0, streamId, 0, "seek", 0, AmfValue.NULL,
                List.of(new AmfValue.Num(ms))));
    }

    /** pause or resume; the answer (Pause.Notify, Unpause.Notify) comes through {@link #read()}. */
    public void pause(int streamId, boolean pause, double ms) throws IOException {
        send(new CommandMessage(AmfEncoding.AMF0, streamId, 0, "pause", 0, AmfValue.NULL,
                List.of(pause ? AmfValue.Bool.TRUE : AmfValue.Bool.FALSE, new AmfValue.Num(ms))));
    }

    /** The publish sequence real services expect: releaseStream, FCPublish, createStream, publish. */
    public int publish(String name) throws IOException {
        send(CommandMessage.of("releaseStream", nextTransaction++, AmfValue.NULL, new AmfValue.Str(name)));
        send(CommandMessage.of("FCPublish", nextTransaction++, AmfValue.NULL, new AmfValue.Str(name)));
        int id = createStream();
        send(new CommandMessage(AmfEncoding.AMF0, id, 0, CommandMessage.PUBLISH,
                0, AmfValue.NULL, List.of(new AmfValue.Str(name), new AmfValue.Str("live"))));
        awaitStatus("publish", "NetStream.Publish.Start", id);
        return id;
    }

    /** Ends a publish cleanly: FCUnpublish and deleteStream. */
    public void unpublish(String name, int streamId) throws IOException {
        send(CommandMessage.of("FCUnpublish", 0, AmfValue.NULL, new AmfValue.Str(name)));
        send(CommandMessage.of(CommandMessage.DELETE_STREAM, 0, AmfValue.NULL, new AmfValue.Num(streamId)));
    }

    private CommandMessage call(CommandMessage request) throws IOException {
        send(request);
        while (true) {
            Message m = readInternal();
            if (m instanceof CommandMessage c && c.transactionId() == request.transactionId()
                    && (c.name().equals(CommandMessage.RESULT) || c.name().equals(CommandMessage.ERROR))) {
                if (c.name().equals(CommandMessage.ERROR)) {
                    throw rejected(request.name(), c);
                }
                return c;
            }
            pending.addLast(m);
        }
    }

    /**
     * Waits for {@code successCode} on {@code streamId} (or 0); an error status there, or an {@code _error}, throws.
     * Statuses of the connection's other streams are kept for {@link #read()}.
     */
    private void awaitStatus(String command, String successCode, int streamId) throws IOException {
        while (true) {
            Message m = readInternal();
            // Statuses come on the stream's id; a server that sends them on 0 is taken at its word too.
            if (m instanceof CommandMessage c && c.name().equals(CommandMessage.ON_STATUS)
                    && (c.messageStreamId() == streamId || c.messageStreamId() == 0)) {
                String code = statusField(c, "code");
                if (code.equals(successCode)) {
                    return;
                }
                if (statusField(c, "level").equals("error")) {
                    throw rejected(command, c);
                }
            }
            if (m instanceof CommandMessage c && c.name().equals(CommandMessage.ERROR)) {
                throw rejected(command, c);
            }
            pending.addLast(m);
        }
    }

    private static String statusField(CommandMessage c, String field) {
        return c.infoField(field).orElse("");
    }

    private static CommandRejectedException rejected(String command, CommandMessage c) {
        return new CommandRejectedException(command, statusField(c, "code"), statusField(c, "description"));
    }

    /**
     * The next message from the server that is not protocol control: media, data, commands (onStatus) and
     * user control events. Acknowledgements and ping answers are sent as they fall due.
     */
    public Message read() throws IOException {
        Message m = pending.pollFirst();
        return m != null ? m : readInternal();
    }

    /**
     * Like {@link #read()}, but the message comes back undecoded: for a reader that only accounts media bytes
     * and looks at tag headers (the load benchmark), where decoding every payload into records would cost
     * more than the reading. Protocol control is applied and pings are answered exactly as in {@link #read()};
     * everything else (media, data, commands, other user control events) is returned as it arrived, for the
     * caller to decode with {@link MessageCodec#decode} if it cares. Messages queued while a command awaited
     * its answer come first, re-encoded.
     */
    public RawMessage readRaw() throws IOException {
        Message queued = pending.pollFirst();
        if (queued != null) {
            return MessageCodec.encode(queued);
        }
        while (true) {
            RawMessage raw = reader.read();
            if (!handledHere(raw)) {
                return raw;
            }
        }
    }

    /**
     * Acknowledges what is due, then applies protocol control and answers pings; returns false for every other
     * message, which is the caller's.
     */
    private boolean handledHere(RawMessage raw) throws IOException {
        control.acknowledgementDue(counted.count).ifPresent(this::sendReply);
        switch (raw.typeId()) {
            case MessageTypes.SET_CHUNK_SIZE, MessageTypes.ABORT, MessageTypes.ACKNOWLEDGEMENT,
                    MessageTypes.WINDOW_ACKNOWLEDGEMENT_SIZE, MessageTypes.SET_PEER_BANDWIDTH -> {
                onControl((ControlMessage) MessageCodec.decode(raw));
                return true;
            }
            case MessageTypes.USER_CONTROL -> {
                if (MessageCodec.decode(raw) instanceof PingRequest p) {
                    send(p.response());
                    return true;
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Whether {@link #nonBlocking()} can hand this connection to a selector (plain TCP only, not TLS). */
    public boolean canSelect() {
        return channel != null;
    }

    /**
     * Hands reading over to a selector thread: the channel turns non-blocking, the reader is fed from
     * {@link #pump} from now on, and what was buffered already stays. Writes keep working (they retry a
     * full socket briefly). Call once, from the thread that read so far, with no read in progress.
     *
     * @return the channel, to register with a selector
     */
    public SocketChannel nonBlocking() throws IOException {
        if (channel == null) {
            throw new IllegalStateException("a TLS connection cannot be read by a selector");
        }
        // The read buffer may hold bytes the chunk reader has not taken yet: they come first. Only those: what
        // is still in the socket is the selector's to read.
        byte[] buffered = takeBuffered(readBuffer, in);
        writeLocked(() -> channel.configureBlocking(false));
        reader.detach();
        reader.feed(ByteBuffer.wrap(buffered));
        return channel;
    }

    /**
     * The bytes {@code buffer} holds, read through {@code via} (which stacks on it), without reading its source.
     * Asking the stream's {@code available()} instead counts the socket's bytes too, and reading that many lets
     * the buffer pull in whatever arrived meanwhile, bytes then stranded in it: the chunk stream lost its place
     * (seen as "fmt 3 chunk on csid 59, which has no previous header" under load).
     */
    static byte[] takeBuffered(ReadBuffer buffer, InputStream via) throws IOException {
        return via.readNBytes(buffer.buffered());
    }

    /** A BufferedInputStream that says how much it holds, apart from what its source could give. */
    static final class ReadBuffer extends BufferedInputStream {
        ReadBuffer(InputStream in, int size) {
            super(in, size);
        }

        int buffered() { // read by the one thread that reads this client, so no lock
            return count - pos;
        }
    }

    /** What {@link #pump} hands on: media, data and commands (protocol control is applied, never passed). */
    @FunctionalInterface
    public interface MessageSink {
        void message(RawMessage m) throws IOException;
    }

    /**
     * Reads what the socket has (non-blocking, after {@link #nonBlocking()}) into {@code scratch}, feeds it to
     * the reader, applies protocol control, answers pings, acknowledges, and hands every other complete message
     * to {@code sink}. Returns false once the peer has closed the connection.
     */
    public boolean pump(ByteBuffer scratch, MessageSink sink) throws IOException {
        scratch.clear();
        int n = channel.read(scratch);
        if (n < 0) {
            return false;
        }
        scratch.flip();
        counted.count += n;
        reader.feed(scratch);
        for (RawMessage raw; (raw = reader.tryRead()) != null; ) {
            if (!handledHere(raw)) {
                sink.message(raw);
            }
        }
        return true;
    }

    /**
     * Hands {@code sink} what was read before a selector took over: messages queued while a command awaited its
     * answer (re-encoded), then whole messages already buffered. Call after {@link #nonBlocking()}, before the
     * selector reads: a message it would otherwise see only when the peer sends more.
     */
    void drainBuffered(MessageSink sink) throws IOException {
        for (Message m; (m = pending.pollFirst()) != null; ) {
            sink.message(MessageCodec.encode(m));
        }
        for (RawMessage raw; (raw = reader.tryRead()) != null; ) {
            if (!handledHere(raw)) {
                sink.message(raw);
            }
        }
    }

    /** The next raw message; cheaper for a reader that only needs media bytes (the benchmark). */
    private Message readInternal() throws IOException {
        while (true) {
            RawMessage raw = reader.read();
            control.acknowledgementDue(counted.count).ifPresent(this::sendReply);
            Message m = MessageCodec.decode(raw);
            switch (m) {
                case ControlMessage c -> onControl(c);
                case PingRequest p -> send(p.response());
                default -> {
                    return m;
                }
            }
        }
    }

    private void onControl(ControlMessage c) throws ProtocolException {
        switch (c) {
            case SetChunkSize s -> control.onSetChunkSize(s.sizeBytes());
            case Abort a -> control.onAbort(a.chunkStreamId());
            case Acknowledgement a -> control.onAcknowledgement(a.sequenceNumber());
            case WindowAcknowledgementSize w -> control.onWindowAckSize((int) Math.min(w.windowBytes(), Integer.MAX_VALUE));
            case SetPeerBandwidth p -> control.onSetPeerBandwidth((int) Math.min(p.windowBytes(), Integer.MAX_VALUE),
                    p.limitType().wireValue()).ifPresent(this::sendReply);
        }
    }

    private void sendReply(ControlReply r) {
        try {
            send(switch (r) {
                case ControlReply.WindowAckSize w -> new WindowAcknowledgementSize(w.windowBytes());
                case ControlReply.Acknowledgement a -> new Acknowledgement(a.sequenceNumber());
            });
        } catch (IOException e) {
            // The next read or write fails the same way and reports it.
        }
    }

    /** Sends one message and flushes. */
    public void send(Message m) throws IOException {
        RawMessage raw = MessageCodec.encode(m);
        writeLocked(() -> {
            writer.write(raw, out);
            out.flush();
        });
    }

    /** Sends a raw message (a media tag as read from a file); flushes when asked. */
    public void send(RawMessage raw, boolean flush) throws IOException {
        writeLocked(() -> {
            writer.write(raw, out);
            if (flush) {
                out.flush();
            }
        });
    }

    /** Sends a pre-chunked shared message (chunked at {@link #chunkSizeBytes()}); flushes when asked. */
    public void send(EncodedMessage m, boolean flush) throws IOException {
        writeLocked(() -> {
            writer.write(m, out);
            if (flush) {
                out.flush();
            }
        });
    }

    public void flush() throws IOException {
        writeLocked(out::flush);
    }

    /**
     * Sends the first {@code count} pre-chunked shared messages, chunked at {@link #chunkSizeBytes()}: their bytes
     * in {@code bytes} (consumed), their headers in {@code messages} for the chunk writer's state. Over plain
     * TCP this is one gathering write from the shared buffers, with nothing copied; over TLS they are copied
     * into the encrypted stream.
     */
    public void writeShared(ByteBuffer[] bytes, EncodedMessage[] messages, int count) throws IOException {
        writeLocked(() -> {
            out.flush();
            if (channel != null) {
                writeFully(bytes, 0, count);
            } else {
                byte[] copy = new byte[8192];
                for (int i = 0; i < count; i++) {
                    ByteBuffer b = bytes[i];
                    while (b.hasRemaining()) {
                        int n = Math.min(copy.length, b.remaining());
                        b.get(copy, 0, n);
                        out.write(copy, 0, n);
                    }
                }
                out.flush();
            }
            for (int i = 0; i < count; i++) {
                writer.markWritten(messages[i]);
            }
        });
    }

    /**
     * Takes the connection for a {@link #tryWriteShared}, without waiting: false when another write holds it or a
     * rest of an earlier one is still to go. Then the caller takes nothing to send; it leaves that to its own
     * thread. On true, call {@link #releaseWrites()} after the write.
     */
    public boolean tryHoldWrites() {
        if (!writeLock.tryLock()) {
            return false;
        }
        if (unsent != null) {
            writeLock.unlock();
            return false;
        }
        return true;
    }

    public void releaseWrites() {
        writeLock.unlock();
    }

    /**
     * {@link #writeShared} without waiting, for a thread that must not block (the selector thread that read the
     * frames), while it holds the connection ({@link #tryHoldWrites()}): one gathering write of what the socket
     * takes now. Returns true when all of it went out. Otherwise the rest is kept and goes out first with the
     * next write of any kind, or with {@link #finishWrites()}: the caller's own thread must follow up. Only once
     * a selector reads this client ({@link #nonBlocking()}).
     */
    public boolean tryWriteShared(ByteBuffer[] bytes, EncodedMessage[] messages, int count) throws IOException {
        if (channel == null || channel.isBlocking() || !writeLock.isHeldByCurrentThread() || unsent != null) {
            throw new IllegalStateException("tryWriteShared needs a non-blocking plain connection held by tryHoldWrites");
        }
        // The caller holds the write lock (tryHoldWrites): nothing else writes meanwhile.
        out.flush();
        long remaining = 0;
        for (int i = 0; i < count; i++) {
            remaining += bytes[i].remaining();
        }
        remaining -= channel.write(bytes, 0, count);
        for (int i = 0; i < count; i++) {
            writer.markWritten(messages[i]);
        }
        if (remaining == 0) {
            return true;
        }
        int first = 0;
        while (!bytes[first].hasRemaining()) {
            first++;
        }
        unsent = Arrays.copyOfRange(bytes, first, count);
        return false;
    }

    /** Writes what {@link #tryWriteShared} left, waiting for the socket as long as it takes (the write timeout's watch). */
    public void finishWrites() throws IOException {
        writeLocked(() -> { });
    }

    /** Writes {@code bytes[first, count)} whole; on a non-blocking socket, a full one is waited out a millisecond at a time. */
    private void writeFully(ByteBuffer[] bytes, int first, int count) throws IOException {
        GatheringWrite.writeFully(channel, bytes, first, count, GatheringWrite.Progress.NONE);
    }

    /** The chunk size our messages are split at. */
    public int chunkSizeBytes() {
        return writer.chunkSizeBytes();
    }

    /** Nanos when the current write began, 0 when none is in progress: a half-open peer shows here. */
    public long writeStartedNanos() {
        return writeStartedNanos;
    }

    /** Bytes received so far, handshake included. */
    public long bytesRead() {
        return counted.count;
    }

    private interface WriteAction {
        void run() throws IOException;
    }

    private void writeLocked(WriteAction action) throws IOException {
        writeLock.lock();
        try {
            writeStartedNanos = System.nanoTime();
            if (unsent != null) {
                // What a non-blocking shared write left goes first: the bytes of one message must not be split.
                ByteBuffer[] rest = unsent;
                writeFully(rest, 0, rest.length);
                unsent = null;
            }
            action.run();
        } finally {
            writeStartedNanos = 0;
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the connection is going away either way.
        }
    }

    /**
     * The socket's output: its stream while the channel blocks, and the channel itself once a selector reads
     * it ({@link #nonBlocking()}): a non-blocking write of a command or an acknowledgement, retried for a
     * short while if the socket is full, which only a peer that stopped reading makes it.
     */
    private static final class ChannelOutput extends OutputStream {
        private static final long FULL_SOCKET_WAIT_NANOS = 2_000_000_000L;
        private final SocketChannel channel;
        private final OutputStream blocking;

        ChannelOutput(SocketChannel channel, OutputStream blocking) {
            this.channel = channel;
            this.blocking = blocking;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (channel.isBlocking()) {
                blocking.write(b, off, len);
                return;
            }
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            long deadline = System.nanoTime() + FULL_SOCKET_WAIT_NANOS;
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("the peer has not read for %d ms: the socket stays full"
                                .formatted(FULL_SOCKET_WAIT_NANOS / 1_000_000));
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }
    }

    /** Counts bytes as the chunk reader consumes them, for acknowledgements. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        private volatile long count;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
