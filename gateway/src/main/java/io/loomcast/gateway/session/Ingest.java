package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.MediaTag;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.AggregateMessage;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.protocol.message.StreamMessage;
import io.loomcast.gateway.protocol.message.VideoMessage;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publisher's media into its hub stream: classifies each audio and video tag (keyframe, sequence
 * header) from its header bytes only, turns {@code @setDataFrame onMetaData} into the onMetaData players
 * get, and unpacks aggregates. The payload bytes are handed on, never copied.
 */
public final class Ingest {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    private final Publication publication;
    private final String connectionName;
    /** Tags whose header we could not parse: forwarded as plain frames, counted, logged once (named leniency). */
    private final LongAdder unparsedTags;
    private boolean unparsedLogged;

    public Ingest(Publication publication, String connectionName, LongAdder unparsedTags) {
        this.publication = publication;
        this.connectionName = connectionName;
        this.unparsedTags = unparsedTags;
    }

    public Publication publication() {
        return publication;
    }

    /** Hands one message of the publisher's stream to the hub; other kinds are ignored. */
    public void accept(StreamMessage m) {
        switch (m) {
            case AudioMessage a -> media(Frame.Kind.AUDIO, MessageTypes.AUDIO, a.timestamp(), a.data());
            case VideoMessage v -> media(Frame.Kind.VIDEO, MessageTypes.VIDEO, v.timestamp(), v.data());
            case DataMessage d -> data(d);
            case AggregateMessage agg -> agg.messages().forEach(this::accept);
            default -> { }
        }
    }

    private void media(Frame.Kind kind, int typeId, long timestamp, byte[] payload) {
        if (payload.length == 0) {
            // Some encoders send empty tags as keep-alives; there is nothing to play.
            return;
        }
        boolean keyframe = false;
        boolean config = false;
        try {
            MediaTag tag = FlvTags.parse(typeId, payload, 0, payload.length);
            keyframe = tag.isKeyframe();
            config = tag.isSequenceHeader();
        } catch (ProtocolException e) {
            unparsedTags.increment();
            if (!unparsedLogged) {
                unparsedLogged = true;
                log.warn("{}: forwarding a {} tag whose header does not parse ({}); further ones are only counted",
                        connectionName, kind, e.getMessage());
            }
        }
        publication.push(kind, timestamp, payload, keyframe, config);
    }

    private void data(DataMessage d) {
        DataMessage frame = d.dataFrame().orElse(d);
        if (frame.handler().equals(DataMessage.CLEAR_DATA_FRAME) || frame.handler().startsWith("@")) {
            return;
        }
        boolean metadata = frame.handler().equals(DataMessage.ON_META_DATA);
        Amf0Writer w = new Amf0Writer().write(new AmfValue.Str(frame.handler()));
        frame.values().forEach(w::write);
        publication.push(Frame.Kind.DATA, d.timestamp(), w.toByteArray(), false, metadata);
    }
}
