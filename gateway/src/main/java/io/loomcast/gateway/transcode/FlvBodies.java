package io.loomcast.gateway.transcode;

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

    private static byte[] audio(int packetType, byte[] data) {
        byte[] b = new byte[2 + data.length];
        b[0] = (byte) AAC_HEADER;
        b[1] = (byte) packetType;
        System.arraycopy(data, 0, b, 2, data.length);
        return b;
    }
}
