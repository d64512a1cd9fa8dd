package io.loomcast.gateway.session;

import io.loomcast.gateway.auth.Action;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.PeerBandwidth;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import io.loomcast.gateway.protocol.message.SetPeerBandwidth;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.StreamMessage;
import io.loomcast.gateway.protocol.message.WindowAcknowledgementSize;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NetConnection and NetStream command state machine of one server connection (RTMP 7.2): connect,
 * createStream, publish with its FMLE companions, play (any number at once, one per message stream id) with
 * play2, seek, pause and receiveAudio/Video, and the ways a stream ends. Publishing and playing plug into the hub; replies go out through the connection's
 * {@link Outbound}. Reader thread only, apart from {@link #close()} at the end of the session.
 */
final class CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private final Connection connection;
    private final SessionSettings settings;
    private final StreamHub hub;
    private final Outbound outbound;
    private final ServerCounters counters;
    private final LongAdder unparsedTags = new LongAdder();
    private final Map<Integer, NetStream> streams = new LinkedHashMap<>();
    /** Ids createStream handed out and deleteStream has not taken back; with {@link #streams}, what is counted. */
    private final Set<Integer> created = new HashSet<>();
    private final StreamAdmission admission;
    private StreamAdmission.ConnectInfo connectInfo = StreamAdmission.ConnectInfo.NONE;

    private boolean connected;
    private String app = "";
    private AmfEncoding encoding = AmfEncoding.AMF0;
    private int nextStreamId = 1;
    private volatile boolean closing;
    private volatile String closingReason;
    /** What the NetStreams do, for other threads (the API's session list, a kick): replaced whole on each change. */
    private volatile List<Activity> activities = List.of();

    /** One NetStream's use, readable from any thread. */
    record Activity(int messageStreamId, boolean publishing, java.util.function.Supplier<String> where) {
        /** The stream published or played now: a play2 switch changes a play's. */
        String path() {
            return where.get();
        }
    }

    /** What one message stream id is used for. */
    private sealed interface NetStream {}

    private record Publishing(StreamRequest request, Ingest ingest) implements NetStream {}

    private record Playing(StreamRequest request, Playback playback) implements NetStream {}

    CommandHandler(Connection connection, SessionSettings settings, StreamHub hub, Outbound outbound,
            ServerCounters counters, StreamAdmission admission) {
        this.connection = connection;
        this.settings = settings;
        this.hub = hub;
        this.outbound = outbound;
        this.counters = counters;
        this.admission = admission;
    }

    /** The session should stop reading: a rejected publish closes the connection after its status goes out. */
    boolean closing() {
        return closing;
    }

    /** Why the handler ended the session, or null when it did not. */
    String closingReason() {
        return closingReason;
    }

    void onCommand(CommandMessage c) throws ProtocolException {
        if (!connected && !c.name().equals(CommandMessage.CONNECT)) {
            throw new ProtocolException("command '%s' before connect".formatted(c.name()));
        }
        switch (c.name()) {
            case CommandMessage.CONNECT -> connect(c);
            // ffmpeg reads getStreamLength's answer as a number (the duration); 0 means live.
            case "getStreamLength" -> replyIfAsked(c, new AmfValue.Num(0));
            case "releaseStream", "FCUnpublish", "_checkbw" -> {
                if (c.name().equals("FCUnpublish")) {
                    outbound.send(Replies.onFc(encoding, "onFCUnpublish", "NetStream.Unpublish.Success",
                            c.stringArgument(0).orElse("")));
                }
                replyIfAsked(c, AmfValue.UNDEFINED);
            }
            case "FCPublish" -> {
                outbound.send(Replies.onFc(encoding, "onFCPublish", "NetStream.Publish.Start", c.stringArgument(0).orElse("")));
                replyIfAsked(c, AmfValue.UNDEFINED);
            }
            case "FCSubscribe" -> replyIfAsked(c, AmfValue.UNDEFINED);
            case CommandMessage.CREATE_STREAM -> createStream(c);
            case CommandMessage.PUBLISH -> publish(c);
            case CommandMessage.PLAY -> play(c);
            case "play2" -> play2(c);
            case "seek", "pause", "receiveAudio", "receiveVideo" -> playControl(c);
            case CommandMessage.DELETE_STREAM -> {
                int id = c.argument(0).flatMap(AmfValue::asDouble).map(Double::intValue).orElse(c.messageStreamId());
                end(id);
                created.remove(id);
            }
            case "closeStream" -> end(c.messageStreamId());
            case CommandMessage.RESULT, CommandMessage.ERROR, "onBWDone", "_onbwcheck", "_onbwdone" -> { }
            default -> {
                counters.unknownCommands.increment();
                if (c.transactionId() != 0) {
                    outbound.send(Replies.callFailed(c, "Method not found (%s).".formatted(c.name())));
                }
            }
        }
    }

    private void replyIfAsked(CommandMessage c, AmfValue value) {
        if (c.transactionId() != 0) {
            outbound.send(Replies.raw(Replies.result(c, AmfValue.NULL, value)));
        }
    }

    private void connect(CommandMessage c) throws ProtocolException {
        if (connected) {
            throw new ProtocolException("second connect on one connection");
        }
        if (!(c.commandObject() instanceof AmfValue.Obj props)) {
            throw new ProtocolException("connect's command object is %s, not an object".formatted(
                    c.commandObject().getClass().getSimpleName()));
        }
        String tcUrl = props.string("tcUrl").orElse("");
        connectInfo = new StreamAdmission.ConnectInfo(tcUrl, props.string("pageUrl").orElse(""),
                props.string("swfUrl").orElse(""), props.string("flashVer").orElse(""));
        app = props.string("app").filter(a -> !a.isEmpty()).orElse(StreamRequest.appFromTcUrl(tcUrl));
        // Some pushers put the stream name in tcUrl while app names only the application.
        String fromTcUrl = StreamRequest.appFromTcUrl(tcUrl);
        if (fromTcUrl.startsWith(stripQuery(app) + "/")) {
            app = fromTcUrl;
        }
        double objectEncoding = props.number("objectEncoding").orElse(0.0);
        encoding = c.encoding();
        connected = true;
        outbound.send(Replies.raw(new WindowAcknowledgementSize(settings.windowAckSizeBytes())));
        outbound.send(Replies.raw(new SetPeerBandwidth(settings.peerBandwidthBytes(), PeerBandwidth.LimitType.DYNAMIC)));
        // RTMP 7.3.2 (play flow): User Control Stream Begin for stream 0 before connect's _result.
        outbound.send(Replies.raw(new StreamBegin(0)));
        outbound.sendChunkSize(Replies.raw(new SetChunkSize(settings.chunkSizeBytes())), settings.chunkSizeBytes());
        outbound.send(Replies.connectResult(c, objectEncoding == 3 ? 3 : 0));
        outbound.send(Replies.onBwDone(encoding));
        log.debug("{}: connect app={}", connection.name(), stripQuery(app));
    }

    private static String stripQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private void createStream(CommandMessage c) {
        if (overStreamLimit(nextStreamId, c, "createStream")) {
            return;
        }
        created.add(nextStreamId);
        outbound.send(Replies.raw(Replies.result(c, AmfValue.NULL, new AmfValue.Num(nextStreamId++))));
    }

    /**
     * Whether using message stream {@code id} would hold more streams than maxStreamsPerConnection; if so the
     * client is told, the refusal counted, and the session ends.
     */
    private boolean overStreamLimit(int id, CommandMessage c, String what) {
        Set<Integer> open = new HashSet<>(created);
        open.addAll(streams.keySet());
        if (open.contains(id) || open.size() < settings.maxStreamsPerConnection()) {
            return false;
        }
        counters.refused(Refusal.STREAM_LIMIT);
        String why = "%s would open message stream %d of at most %d on one connection".formatted(what,
                open.size() + 1, settings.maxStreamsPerConnection());
        outbound.send(Replies.callFailed(c, "Too many streams: " + why + "."));
        log.warn("{}: closing {}: {}", connection.name(), connection.remote(), why);
        closingReason = "stream limit: " + why;
        closing = true;
        return true;
    }

    /**
     * Asks the auth rules about {@code asked}: returns the stream to use (a callback may rename it), or null
     * after sending the refusal status {@code refusalCode}, in which case the session ends once it is out.
     */
    private StreamRequest admitted(Action action, StreamRequest asked, int id, String refusalCode) {
        return switch (admission.admit(action, asked, connectInfo)) {
            case StreamAdmission.Outcome.Admitted a -> a.request();
            case StreamAdmission.Outcome.Refused r -> {
                outbound.send(Replies.onStatus(encoding, id, "error", refusalCode, r.description(), asked.path()));
                closingReason = r.description();
                closing = true;
                yield null;
            }
        };
    }

    private void publish(CommandMessage c) throws ProtocolException {
        int id = c.messageStreamId();
        StreamRequest asked = StreamRequest.resolve(app, c.stringArgument(0).orElse(""));
        if (streams.containsKey(id)) {
            throw new ProtocolException("publish on message stream %d, which is already in use".formatted(id));
        }
        if (overStreamLimit(id, c, "publish")) {
            return;
        }
        StreamRequest request = admitted(Action.PUBLISH, asked, id, "NetStream.Publish.BadName");
        if (request == null) {
            return;
        }
        var publication = hub.publish(request.path(), connection.name());
        if (publication.isEmpty()) {
            counters.publishRejected.increment();
            outbound.send(Replies.onStatus(encoding, id, "error", "NetStream.Publish.BadName",
                    "Stream %s is already being published.".formatted(request.path()), request.path()));
            log.warn("{}: publish of {} refused: it already has a publisher", connection.name(), request);
            // Stop reading; the session lets the writer flush the status before it closes the socket.
            closingReason = "publish refused: " + request.path() + " already has a publisher";
            closing = true;
            return;
        }
        streams.put(id, new Publishing(request, new Ingest(publication.get(), connection.name(), unparsedTags)));
        refreshActivities();
        outbound.send(Replies.raw(new StreamBegin(id)));
        outbound.send(Replies.onStatus(encoding, id, "status", "NetStream.Publish.Start",
                "%s is now published.".formatted(request.path()), request.path()));
        log.info("{}: publishing {} from {}", connection.name(), request, connection.remote());
    }

    private void play(CommandMessage c) throws ProtocolException {
        int id = c.messageStreamId();
        StreamRequest asked = StreamRequest.resolve(app, c.stringArgument(0).orElse(""));
        boolean reset = c.argument(3).map(v -> !(v instanceof AmfValue.Bool b) || b.value()).orElse(true);
        if (overStreamLimit(id, c, "play")) {
            return;
        }
        StreamRequest request = admitted(Action.PLAY, asked, id, "NetStream.Play.Failed");
        if (request == null) {
            return;
        }
        startPlay(id, request, reset);
    }

    /** Plays {@code request} on message stream {@code id}, replacing what it played (RTMP 7.2.2.1). */
    private void startPlay(int id, StreamRequest request, boolean reset) {
        end(id);
        PlayerQueueListener listener = new PlayerQueueListener(connection, outbound, request);
        Subscription sub = hub.subscribe(request.path(), connection.name(), settings.queueLimits(), listener,
                Stream.JoinAt.CACHED_KEYFRAME);
        Playback playback = new Playback(sub, request.path(), id, new PlayerNotices(encoding, connection),
                outbound::wakeUp);
        listener.playback(playback);
        streams.put(id, new Playing(request, playback));
        refreshActivities();
        outbound.send(Replies.raw(new StreamBegin(id)));
        if (reset) {
            outbound.send(Replies.onStatus(encoding, id, "status", "NetStream.Play.Reset",
                    "Playing and resetting %s.".formatted(request.path()), request.path()));
        }
        outbound.send(Replies.onStatus(encoding, id, "status", "NetStream.Play.Start",
                "Started playing %s.".formatted(request.path()), request.path()));
        outbound.send(Replies.sampleAccess(id));
        outbound.add(playback);
        log.info("{}: playing {} for {}", connection.name(), request, connection.remote());
    }

    /** A subscription {@code playing} switches to: its media goes where the playback's does. */
    private Subscription subscribe(StreamRequest request, Stream.JoinAt at, Playback playing) {
        PlayerQueueListener listener = new PlayerQueueListener(connection, outbound, request);
        listener.playback(playing);
        return hub.subscribe(request.path(), connection.name(), settings.queueLimits(), listener, at);
    }

    /** play2 (NetStreamPlayOptions): switch to another bitrate of the content, reset, stop; see {@link Play2}. */
    private void play2(CommandMessage c) {
        int id = c.messageStreamId();
        Playback playing = streams.get(id) instanceof Playing p ? p.playback() : null;
        switch (Play2.decide(c, app, playing, hub::known)) {
            case Play2.Refuse r -> {
                outbound.send(Replies.onStatus(encoding, id, "error", r.code(), r.description(), null));
                log.info("{}: play2 refused: {}", connection.name(), r.description());
            }
            case Play2.Stop s -> {
                String path = playing.streamPath();
                end(id);
                outbound.send(Replies.raw(new StreamEof(id)));
                outbound.send(Replies.onStatus(encoding, id, "status", "NetStream.Play.Stop",
                        "Stopped playing %s.".formatted(path), path));
            }
            // Another stream is another play: the play rules judge it as they judged the first.
            case Play2.Reset r -> {
                StreamRequest request = admitted(Action.PLAY, r.request(), id, "NetStream.Play.Failed");
                if (request != null) {
                    startPlay(id, request, true);
                }
            }
            case Play2.Switch s -> {
                StreamRequest request = admitted(Action.PLAY, s.request(), id, "NetStream.Play.Failed");
                if (request != null) {
                    playing.switchTo(subscribe(request, Stream.JoinAt.NEXT_KEYFRAME, playing), request.path());
                    log.info("{}: play2 switching {} -> {} at its next keyframe", connection.name(),
                            playing.streamPath(), request);
                }
            }
        }
    }

    /**
     * seek, pause, receiveAudio and receiveVideo on a play; the playback carries them out in order with its media.
     * A live stream has no past beyond the GOP cache, so seek restarts delivery at the newest keyframe held, its
     * sequence headers first, timestamps still going forward; it never gets {@code _error}.
     */
    private void playControl(CommandMessage c) {
        int id = c.messageStreamId();
        if (!(streams.get(id) instanceof Playing p)) {
            if (c.name().equals("seek")) {
                outbound.send(Replies.onStatus(encoding, id, "error", "NetStream.Seek.Failed",
                        "seek needs an active play on stream %d.".formatted(id), null));
            }
            return;
        }
        boolean on = c.argument(0).map(v -> !(v instanceof AmfValue.Bool b) || b.value()).orElse(true);
        switch (c.name()) {
            case "seek" -> p.playback().seek();
            case "pause" -> p.playback().pause(c.argument(0).map(v -> v instanceof AmfValue.Bool b && b.value())
                    .orElse(false));
            case "receiveAudio" -> p.playback().receiveAudio(on);
            default -> p.playback().receiveVideo(on);
        }
    }

    /** Audio, video and data from a publisher; anything else on a stream is counted and ignored. */
    void onStreamMessage(StreamMessage m) {
        NetStream s = streams.get(m.messageStreamId());
        if (s instanceof Publishing p) {
            p.ingest().accept(m);
        } else {
            counters.ignoredMessages.increment();
        }
    }

    /** Ends whatever message stream {@code id} was doing: deleteStream, closeStream, a new play over it. */
    private void end(int id) {
        NetStream s = streams.remove(id);
        if (s != null) {
            refreshActivities();
        }
        switch (s) {
            case null -> { }
            case Publishing p -> {
                p.ingest().publication().close();
                log.info("{}: stopped publishing {}", connection.name(), p.request());
            }
            case Playing p -> {
                outbound.remove(p.playback());
                p.playback().close();
            }
        }
    }

    /** The session ended: stop publishing and playing. */
    void close() {
        closing = true;
        for (Integer id : streams.keySet().toArray(new Integer[0])) {
            end(id);
        }
    }

    private void refreshActivities() {
        List<Activity> next = new ArrayList<>();
        streams.forEach((id, s) -> next.add(switch (s) {
            case Publishing p -> new Activity(id, true, p.request()::path);
            case Playing p -> new Activity(id, false, p.playback()::streamPath);
        }));
        activities = List.copyOf(next);
    }

    /** What the NetStreams do now; any thread. */
    List<Activity> activities() {
        return activities;
    }

    /**
     * Tells every NetStream why the server ends the session: players get NetStream.Play.Stop, publishers
     * NetStream.Unpublish.Success, each with {@code description}. Any thread: the replies are queued on the
     * connection's writer, which the session flushes before it closes.
     */
    void farewell(String description) {
        for (Activity a : activities) {
            outbound.send(Replies.onStatus(encoding, a.messageStreamId(), "status",
                    a.publishing() ? "NetStream.Unpublish.Success" : "NetStream.Play.Stop", description, a.path()));
        }
    }

    /** For the session's last log line: what it was doing. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (NetStream s : streams.values()) {
            switch (s) {
                case Publishing p -> sb.append(" [publishing ").append(p.request()).append(']');
                case Playing p -> sb.append(" [playing ").append(p.playback().streamPath()).append(']');
            }
        }
        return sb.toString();
    }
}
