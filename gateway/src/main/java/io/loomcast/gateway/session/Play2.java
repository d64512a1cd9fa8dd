package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.message.CommandMessage;
import java.util.function.Predicate;

/**
 * What a play2 command asks for, decided before anything changes (the command handler carries it out). The
 * server keeps the bitrates of one content: a source {@code app/name} and its renditions
 * {@code app/name@PROFILE}; play2 moves a player between them without a new connection.
 *
 * <ul>
 *   <li>{@code switch} and {@code swap} (the same for live): to {@code streamName} at its next keyframe, the old
 *       stream playing until then;</li>
 *   <li>{@code reset}: play {@code streamName} at once, as play with reset does;</li>
 *   <li>{@code stop}: stop playing;</li>
 *   <li>{@code append}, {@code appendAndWait}: playlists of recorded streams, meaningless live: refused, and the
 *       current play goes on.</li>
 * </ul>
 */
final class Play2 {
    private Play2() {}

    /** One decision. */
    sealed interface Action {}

    /** Say no with NetStream.Play.{@code code}; what plays goes on. */
    record Refuse(String code, String description) implements Action {}

    record Stop() implements Action {}

    record Reset(StreamRequest request) implements Action {}

    record Switch(StreamRequest request) implements Action {}

    /**
     * @param playing what the message stream plays now, null when it plays nothing
     * @param known   whether a stream name can be played now or started on demand ({@code StreamHub.known})
     */
    static Action decide(CommandMessage c, String app, Playback playing, Predicate<String> known) {
        int id = c.messageStreamId();
        if (playing == null) {
            return new Refuse("NetStream.Play.Failed", "play2 needs an active play on stream %d; send play first."
                    .formatted(id));
        }
        PlayOptions options;
        switch (PlayOptions.parse(c.argument(0).orElse(null))) {
            case PlayOptions.Invalid i -> {
                return new Refuse("NetStream.Play.Failed", i.reason() + "; playing " + playing.streamPath() + " goes on.");
            }
            case PlayOptions.Valid v -> options = v.options();
        }
        switch (options.transition()) {
            case APPEND, APPEND_AND_WAIT -> {
                return new Refuse("NetStream.Play.Failed", "play2 transition %s queues a recorded stream after this "
                        .formatted(options.transition().wireName) + "one; a live stream has no end to queue after, so "
                        + "playing " + playing.streamPath() + " goes on.");
            }
            case STOP -> {
                return new Stop();
            }
            default -> { }
        }
        StreamRequest request;
        try {
            request = StreamRequest.resolve(app, options.streamName());
        } catch (ProtocolException e) {
            return new Refuse("NetStream.Play.Failed", "play2: " + e.getMessage());
        }
        return switch (options.transition()) {
            case APPEND, APPEND_AND_WAIT, STOP -> throw new AssertionError(options.transition());
            case RESET -> new Reset(request);
            case SWITCH, SWAP -> {
                if (!replaces(app, options.oldStreamName(), playing)) {
                    yield new Refuse("NetStream.Play.Failed", "play2 oldStreamName is not what stream %d plays (%s); "
                            .formatted(id, playing.streamPath()) + "nothing changes.");
                }
                if (!known.test(request.path())) {
                    yield new Refuse("NetStream.Play.StreamNotFound", "%s is not live and nothing starts it; playing %s goes on."
                            .formatted(request.path(), playing.streamPath()));
                }
                yield new Switch(request);
            }
        };
    }

    /** An oldStreamName, when given, must name the stream played now or the one a switch waits for. */
    private static boolean replaces(String app, String oldStreamName, Playback playing) {
        if (oldStreamName.isEmpty()) {
            return true;
        }
        try {
            String old = StreamRequest.resolve(app, oldStreamName).path();
            return old.equals(playing.streamPath()) || old.equals(playing.pendingStreamPath());
        } catch (ProtocolException e) {
            return false;
        }
    }
}
