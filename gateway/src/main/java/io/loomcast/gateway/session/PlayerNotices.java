package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.StreamEof;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a player hears, as FMS and nginx-rtmp say it: Stream EOF and NetStream.Play.UnpublishNotify once its
 * publisher has left (and the unpublish grace has run out), Stream Begin and NetStream.Play.PublishNotify
 * when one comes back; and the answers to its own seek, pause and play2 where they take effect in the media.
 * The player stays subscribed across all of them.
 */
final class PlayerNotices implements Playback.Notices {
    private static final Logger log = LoggerFactory.getLogger(PlayerNotices.class);

    private final AmfEncoding encoding;
    private final Connection connection;

    PlayerNotices(AmfEncoding encoding, Connection connection) {
        this.encoding = encoding;
        this.connection = connection;
    }

    @Override
    public List<RawMessage> onNotice(StreamNotice notice, int messageStreamId, String streamPath) {
        return switch (notice) {
            case SOURCE_ENDED -> List.of(Replies.raw(new StreamEof(messageStreamId)),
                    status(messageStreamId, "NetStream.Play.UnpublishNotify", streamPath + " is now unpublished.",
                            streamPath));
            case SOURCE_STARTED -> List.of(Replies.raw(new StreamBegin(messageStreamId)),
                    status(messageStreamId, "NetStream.Play.PublishNotify", streamPath + " is now published.",
                            streamPath));
        };
    }

    @Override
    public List<RawMessage> onEvent(Playback.Event event, int messageStreamId, String streamPath, long timestampMs) {
        return switch (event) {
            case TRANSITION -> List.of(status(messageStreamId, "NetStream.Play.Transition",
                    "Switching to %s at its next keyframe.".formatted(streamPath), streamPath));
            case TRANSITION_COMPLETE -> List.of(playStatus(messageStreamId, timestampMs,
                    "NetStream.Play.TransitionComplete", "Switched to %s.".formatted(streamPath), streamPath));
            // A live stream has no past beyond the GOP cache: it starts over at the newest keyframe held.
            case SEEK -> List.of(status(messageStreamId, "NetStream.Seek.Notify",
                            "Seeking %s: live, so at the newest keyframe.".formatted(streamPath), streamPath),
                    Replies.raw(new StreamBegin(messageStreamId)),
                    status(messageStreamId, "NetStream.Play.Start", "Started playing %s.".formatted(streamPath),
                            streamPath));
            case PAUSE -> List.of(status(messageStreamId, "NetStream.Pause.Notify", "Paused " + streamPath + ".",
                    streamPath));
            case UNPAUSE -> List.of(status(messageStreamId, "NetStream.Unpause.Notify",
                    "Unpaused " + streamPath + ".", streamPath));
        };
    }

    private RawMessage status(int messageStreamId, String code, String description, String details) {
        return Replies.onStatus(encoding, messageStreamId, "status", code, description, details);
    }

    /** onPlayStatus (a data message, as FMS sends it) at the switch point, with the new stream's name in details. */
    private static RawMessage playStatus(int messageStreamId, long timestampMs, String code, String description,
            String details) {
        Map<String, AmfValue> info = new LinkedHashMap<>();
        info.put("level", new AmfValue.Str("status"));
        info.put("code", new AmfValue.Str(code));
        info.put("description", new AmfValue.Str(description));
        info.put("details", new AmfValue.Str(details));
        return Replies.raw(DataMessage.of(messageStreamId, timestampMs & 0xFFFF_FFFFL, "onPlayStatus",
                new AmfValue.Obj(info)));
    }

    @Override
    public void switched(String from, String to, long waitedNanos) {
        log.info("{}: play2 switched {} -> {} at its keyframe, {} ms after the request", connection.name(), from, to,
                TimeUnit.NANOSECONDS.toMillis(waitedNanos));
    }

    @Override
    public void closed(Playback playback, String reason) {
        connection.close("player of %s too slow: %s".formatted(playback.streamPath(), reason));
    }
}
