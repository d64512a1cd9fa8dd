package io.loomcast.gateway.media;

/**
 * Whether a message uses Enhanced RTMP multitrack (enhanced-rtmp v2, AvMultitrackType), and how. Every
 * multitrack track carries a track id; the layouts other than {@link #ONE_TRACK} also carry a UI24 size
 * per track, and {@link #MANY_TRACKS_MANY_CODECS} a FourCC per track.
 */
public enum TrackLayout {
    /** Not a multitrack message: the whole body is one track with id 0. */
    SINGLE,
    /** AvMultitrackType.OneTrack (0): multitrack framing with one track. */
    ONE_TRACK,
    /** AvMultitrackType.ManyTracks (1): several tracks of one codec. */
    MANY_TRACKS,
    /** AvMultitrackType.ManyTracksManyCodecs (2): several tracks, each with its own FourCC. */
    MANY_TRACKS_MANY_CODECS;

    static TrackLayout fromMultitrackType(int type) {
        return switch (type) {
            case 0 -> ONE_TRACK;
            case 1 -> MANY_TRACKS;
            case 2 -> MANY_TRACKS_MANY_CODECS;
            default -> null;
        };
    }
}
