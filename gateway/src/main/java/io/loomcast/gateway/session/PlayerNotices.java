package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.StreamEof;
import java.util.List;

/**
 * What a player hears when its stream's source changes, as nginx-rtmp and FMS say it: Stream EOF and
 * NetStream.Play.UnpublishNotify when the publisher leaves, Stream Begin and NetStream.Play.PublishNotify
 * when one comes back. The player stays subscribed across both.
 */
final class PlayerNotices implements Playback.Notices {
    private final AmfEncoding encoding;
    private final String streamPath;
    private final Connection connection;

    PlayerNotices(AmfEncoding encoding, String streamPath, Connection connection) {
        this.encoding = encoding;
        this.streamPath = streamPath;
        this.connection = connection;
    }

    @Override
    public List<RawMessage> onNotice(StreamNotice notice, int messageStreamId) {
        return switch (notice) {
            case SOURCE_ENDED -> List.of(Replies.raw(new StreamEof(messageStreamId)),
                    Replies.onStatus(encoding, messageStreamId, "status", "NetStream.Play.UnpublishNotify",
                            streamPath + " is now unpublished.", streamPath));
            case SOURCE_STARTED -> List.of(Replies.raw(new StreamBegin(messageStreamId)),
                    Replies.onStatus(encoding, messageStreamId, "status", "NetStream.Play.PublishNotify",
                            streamPath + " is now published.", streamPath));
        };
    }

    @Override
    public void closed(Playback playback, String reason) {
        connection.close("player of %s too slow: %s".formatted(streamPath, reason));
    }
}
