package io.loomcast.gateway.media;

import static io.loomcast.gateway.media.BigEndian.need;
import static io.loomcast.gateway.media.BigEndian.u32;
import static io.loomcast.gateway.media.BigEndian.u8;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.List;

/** Parses AUDIODATA headers, legacy (FLV 10.1 E.4.2.1) and enhanced (enhanced-rtmp v2, "Enhanced Audio"). */
final class AudioTagParser {
    private static final int SOUND_FORMAT_EX_HEADER = 9;
    private static final int SOUND_FORMAT_AAC = 10;
    // enhanced-rtmp v2 AudioPacketType
    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final int SEQUENCE_END = 2;
    private static final int MULTICHANNEL_CONFIG = 4;
    private static final int MULTITRACK = EnhancedFraming.Media.AUDIO.multitrack;
    // enhanced-rtmp v2 AudioChannelOrder
    private static final int CHANNEL_ORDER_NATIVE = 1;
    private static final int CHANNEL_ORDER_CUSTOM = 2;
    /** FLV 10.1 E.4.2.1 SoundRate: 0 = 5.5 kHz, 1 = 11 kHz, 2 = 22 kHz, 3 = 44 kHz. */
    private static final int[] LEGACY_RATES_HZ = {5512, 11025, 22050, 44100};

    private AudioTagParser() {}

    /**
     * Parses the header at {@code b[off, off+len)}. Returns the first track; when {@code tracks} is not null,
     * every track is also added to it (for a non-multitrack message, just the one).
     */
    static AudioTag parse(byte[] b, int off, int len, List<AudioTag> tracks) throws ProtocolException {
        BigEndian.checkSlice(b, off, len);
        int end = off + len;
        AudioTag tag;
        if (len == 0) {
            // enhanced-rtmp v2, AudioPacketType notes: an empty audio message is RTMP's "silence" message.
            tag = new AudioTag(AudioCodec.UNKNOWN, 0, false, AudioPacketKind.SILENCE, 0, 0, 0, off, 0,
                    TrackLayout.SINGLE, 0, 1, 0);
        } else {
            int first = b[off] & 0xFF;
            tag = first >>> 4 == SOUND_FORMAT_EX_HEADER
                    ? enhanced(b, off, end, first, tracks)
                    : legacy(b, off, end, first);
        }
        if (tracks != null && tag.trackLayout() == TrackLayout.SINGLE) {
            tracks.add(tag);
        }
        return tag;
    }

    private static AudioTag legacy(byte[] b, int off, int end, int first) throws ProtocolException {
        int soundFormat = first >>> 4;
        AudioCodec codec = AudioCodec.fromSoundFormat(soundFormat);
        int rate = LEGACY_RATES_HZ[first >>> 2 & 0x03];
        int sampleBits = (first & 0x02) != 0 ? 16 : 8;
        int channels = (first & 0x01) + 1;
        int pos = off + 1;
        AudioPacketKind kind = AudioPacketKind.CODED_FRAMES;
        if (soundFormat == SOUND_FORMAT_AAC) {
            // FLV 10.1 E.4.2.2 AACAUDIODATA: AACPacketType UI8, 0 = AudioSpecificConfig, 1 = raw frame.
            int packetType = u8(b, pos, end, "AAC AACPacketType");
            kind = switch (packetType) {
                case 0 -> AudioPacketKind.SEQUENCE_START;
                case 1 -> AudioPacketKind.CODED_FRAMES;
                default -> throw new ProtocolException("AAC AACPacketType %d is not 0 or 1".formatted(packetType));
            };
            pos += 1;
        }
        return new AudioTag(codec, soundFormat, false, kind, rate, sampleBits, channels, pos, end - pos,
                TrackLayout.SINGLE, 0, 1, 0);
    }

    private static AudioTag enhanced(byte[] b, int off, int end, int first, List<AudioTag> tracks)
            throws ProtocolException {
        int packetType = first & 0x0F;
        int pos = off + 1;
        int nanos = 0;
        if (packetType == EnhancedFraming.MOD_EX) {
            long modEx = EnhancedFraming.readModEx(b, pos, end, EnhancedFraming.Media.AUDIO);
            pos = EnhancedFraming.modExPos(modEx);
            packetType = EnhancedFraming.modExPacketType(modEx);
            nanos = EnhancedFraming.modExNanos(modEx);
        }
        if (packetType != MULTITRACK) {
            AudioPacketKind kind = packetKind(packetType);
            int fourCc = u32(b, pos, end, "audio FourCC");
            return body(b, fourCc, kind, pos + 4, end, TrackLayout.SINGLE, 0, nanos);
        }
        EnhancedFraming.Multitrack mt = EnhancedFraming.readMultitrack(b, pos, end, EnhancedFraming.Media.AUDIO);
        TrackLayout layout = mt.layout();
        packetType = mt.packetType();
        int sharedFourCc = mt.sharedFourCc();
        AudioPacketKind kind = packetKind(packetType);
        AudioTag firstTrack = null;
        int count = 0;
        int trackStart = mt.tracksStart();
        do {
            EnhancedFraming.Track t = EnhancedFraming.readTrack(b, trackStart, end, layout, sharedFourCc,
                    EnhancedFraming.Media.AUDIO);
            count++;
            AudioTag tag = body(b, t.fourCc(), kind, t.bodyStart(), t.bodyEnd(), layout, t.trackId(), nanos);
            if (tracks != null) {
                tracks.add(tag);
            }
            if (firstTrack == null) {
                firstTrack = tag;
            }
            trackStart = t.bodyEnd();
        } while (trackStart < end);
        if (count == 1) {
            return firstTrack;
        }
        AudioTag t = firstTrack;
        return new AudioTag(t.codec(), t.codecTag(), true, t.packetKind(), 0, 0, 0, t.payloadOffset(),
                t.payloadLength(), layout, t.trackId(), count, nanos);
    }

    private static AudioTag body(byte[] b, int fourCc, AudioPacketKind kind, int pos, int end, TrackLayout layout,
            int trackId, int nanos) throws ProtocolException {
        need(pos, end, 0, "audio body");
        if (kind == AudioPacketKind.MULTICHANNEL_CONFIG) {
            checkMultichannelConfig(b, pos, end);
        }
        return new AudioTag(AudioCodec.fromFourCc(fourCc), fourCc, true, kind, 0, 0, 0, pos, end - pos, layout,
                trackId, 1, nanos);
    }

    /**
     * enhanced-rtmp v2 MultichannelConfig: AudioChannelOrder UI8, channel count UI8, then a speaker byte per
     * channel (Custom) or a UI32 channel mask (Native). Checked here so a consumer can trust the lengths.
     */
    private static void checkMultichannelConfig(byte[] b, int pos, int end) throws ProtocolException {
        int order = u8(b, pos, end, "audio channel order");
        int channels = u8(b, pos + 1, end, "audio channel count");
        switch (order) {
            case CHANNEL_ORDER_CUSTOM -> need(pos + 2, end, channels, "audio custom channel map");
            case CHANNEL_ORDER_NATIVE -> need(pos + 2, end, 4, "audio channel mask");
            case 0 -> { } // Unspecified: the count is all there is
            default -> throw new ProtocolException("audio AudioChannelOrder %d is reserved".formatted(order));
        }
    }

    private static AudioPacketKind packetKind(int packetType) throws ProtocolException {
        return switch (packetType) {
            case SEQUENCE_START -> AudioPacketKind.SEQUENCE_START;
            case CODED_FRAMES -> AudioPacketKind.CODED_FRAMES;
            case SEQUENCE_END -> AudioPacketKind.SEQUENCE_END;
            case MULTICHANNEL_CONFIG -> AudioPacketKind.MULTICHANNEL_CONFIG;
            default -> throw new ProtocolException("audio AudioPacketType %d is reserved".formatted(packetType));
        };
    }
}
