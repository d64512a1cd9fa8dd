package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the header of RTMP audio and video messages, whose payloads are FLV AUDIODATA / VIDEODATA tag bodies
 * (FLV 10.1 Annex E.4.2-E.4.3), including Enhanced RTMP (veovera enhanced-rtmp v1 and v2: FourCC codecs,
 * ModEx, multitrack). Only header bytes are read and nothing is copied: the returned tag locates the codec
 * data inside the caller's array. The per-message methods allocate only the returned record.
 *
 * <p>Input that breaks the format raises {@link ProtocolException} and nothing else. Unknown codecs are not
 * errors (they come back as {@code UNKNOWN} with the raw value); reserved frame and packet types are, because
 * the layout after them is unknown (enhanced-rtmp v2: "the system MUST fail in a controlled and predictable
 * manner"). Whether a bad message closes the session or is dropped is the caller's policy, not this class's.
 */
public final class FlvTags {
    private FlvTags() {}

    /** Parses a whole video message payload. */
    public static VideoTag parseVideo(byte[] payload) throws ProtocolException {
        return VideoTagParser.parse(payload, 0, payload.length, null);
    }

    /**
     * Parses the video message in {@code buf[offset, offset+length)}; offsets in the result index {@code buf}.
     *
     * @throws IndexOutOfBoundsException if the slice is not inside {@code buf} (a caller bug, not bad input)
     */
    public static VideoTag parseVideo(byte[] buf, int offset, int length) throws ProtocolException {
        return VideoTagParser.parse(buf, offset, length, null);
    }

    /** Parses a whole audio message payload; an empty payload is the RTMP silence message. */
    public static AudioTag parseAudio(byte[] payload) throws ProtocolException {
        return AudioTagParser.parse(payload, 0, payload.length, null);
    }

    /** Parses the audio message in {@code buf[offset, offset+length)}; offsets in the result index {@code buf}. */
    public static AudioTag parseAudio(byte[] buf, int offset, int length) throws ProtocolException {
        return AudioTagParser.parse(buf, offset, length, null);
    }

    /**
     * Every track of a video message, in wire order: one for a plain message, several for Enhanced RTMP
     * multitrack. Each track's {@code trackCount} is 1; its payload slice covers that track only.
     */
    public static List<VideoTag> videoTracks(byte[] buf, int offset, int length) throws ProtocolException {
        List<VideoTag> tracks = new ArrayList<>(2);
        VideoTagParser.parse(buf, offset, length, tracks);
        return List.copyOf(tracks);
    }

    /** Every track of an audio message, in wire order; see {@link #videoTracks}. */
    public static List<AudioTag> audioTracks(byte[] buf, int offset, int length) throws ProtocolException {
        List<AudioTag> tracks = new ArrayList<>(2);
        AudioTagParser.parse(buf, offset, length, tracks);
        return List.copyOf(tracks);
    }

    /**
     * Parses an RTMP media message by its type id: 8 audio, 9 video.
     *
     * @throws IllegalArgumentException for any other type id (the caller routes by type)
     */
    public static MediaTag parse(int messageTypeId, byte[] buf, int offset, int length) throws ProtocolException {
        return switch (messageTypeId) {
            case 8 -> parseAudio(buf, offset, length);
            case 9 -> parseVideo(buf, offset, length);
            default -> throw new IllegalArgumentException("message type %d is not audio (8) or video (9)"
                    .formatted(messageTypeId));
        };
    }
}
