package io.loomcast.gateway.transcode;

import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;

/**
 * FLV tag bodies (FLV 10.1 E.4.2.1 AUDIODATA, E.4.3.1 VIDEODATA) for what the encoders produce: AVC video
 * and AAC audio, as RTMP audio and video messages carry them.
 */
final class FlvBodies {
    /** FrameType 1 (key) or 2 (inter), CodecID 7 (AVC). */
    private static final int AVC_KEY = 0x17;
    private static final int AVC_INTER = 0x27;
    /** SoundFormat 10 (AAC), SoundRate 3 (44 kHz), SoundSize 1 (16 bit), SoundType 1 (stereo): E.4.2.1 says
     * AAC always writes these, the real values are in the AudioSpecificConfig. */
    private static final int AAC_HEADER = 0xAF;

    private FlvBodies() {}

    /** An AVC sequence header: AVCPacketType 0, composition time 0, then the configuration record. */
    static byte[] avcSequenceHeader(byte[] record) {
        return video(AVC_KEY, 0, 0, record);
    }

    /** Coded AVC frames: AVCPacketType 1 with the SI24 composition time offset (PTS - DTS) in ms. */
    static byte[] avcFrame(boolean keyframe, int compositionTimeMs, byte[] avcc) {
        return video(keyframe ? AVC_KEY : AVC_INTER, 1, compositionTimeMs, avcc);
    }

    private static byte[] video(int first, int packetType, int cts, byte[] data) {
        byte[] b = new byte[5 + data.length];
        b[0] = (byte) first;
        b[1] = (byte) packetType;
        b[2] = (byte) (cts >> 16);
        b[3] = (byte) (cts >> 8);
        b[4] = (byte) cts;
        System.arraycopy(data, 0, b, 5, data.length);
        return b;
    }

    /** An AAC sequence header: AACPacketType 0 and the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1). */
    static byte[] aacSequenceHeader(byte[] audioSpecificConfig) {
        return audio(0, audioSpecificConfig);
    }

    /** One raw AAC frame: AACPacketType 1. */
    static byte[] aacFrame(byte[] raw) {
        return audio(1, raw);
    }

    /**
     * The rendition's onMetaData (FLV 10.1 E.5 onMetaData), as the hub expects a publisher's metadata: the
     * AMF0 name and an ECMA array. Players and ingest servers read the size and rates from it.
     */
    static byte[] onMetaData(int width, int height, double fps, long videoBitsPerSecond,
            io.loomcast.gateway.config.AudioProfile audio, String encoder) {
        java.util.Map<String, AmfValue> m = new java.util.LinkedHashMap<>();
        m.put("width", new AmfValue.Num(width));
        m.put("height", new AmfValue.Num(height));
        m.put("framerate", new AmfValue.Num(fps));
        m.put("videocodecid", new AmfValue.Num(7));
        m.put("videodatarate", new AmfValue.Num(videoBitsPerSecond / 1000.0));
        if (audio instanceof io.loomcast.gateway.config.AudioProfile.Encode e) {
            m.put("audiocodecid", new AmfValue.Num(10));
            m.put("audiodatarate", new AmfValue.Num(e.bitrate().bitsPerSecond() / 1000.0));
            m.put("audiosamplerate", new AmfValue.Num(e.sampleRateHz()));
            m.put("stereo", e.channels() == 2 ? AmfValue.Bool.TRUE : AmfValue.Bool.FALSE);
        }
        m.put("encoder", new AmfValue.Str("Loomcast (FFmpeg " + encoder + ")"));
        return Amf0Writer.encode(new AmfValue.Str("onMetaData"), new AmfValue.EcmaArray(m));
    }

    private static byte[] audio(int packetType, byte[] data) {
        byte[] b = new byte[2 + data.length];
        b[0] = (byte) AAC_HEADER;
        b[1] = (byte) packetType;
        System.arraycopy(data, 0, b, 2, data.length);
        return b;
    }
}
