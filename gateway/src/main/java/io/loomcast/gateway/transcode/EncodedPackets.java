package io.loomcast.gateway.transcode;

import static io.loomcast.gateway.transcode.TranscodeException.check;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.BytePointer;

/** The receive half of FFmpeg's send/receive encoding API, shared by the audio and video encoders. */
final class EncodedPackets {
    private EncodedPackets() {}

    /** What an encoder makes of one packet: its fields, and its bytes copied onto the heap. */
    interface Sink {
        void accept(AVPacket packet, byte[] data);
    }

    /**
     * Hands every packet {@code ctx} has ready to {@code sink}, copied out of native memory, and unreferences
     * it; returns when the encoder wants more input or is drained.
     *
     * @param call what a failure names, e.g. {@code "avcodec_receive_packet aac"}
     */
    static void receiveAll(AVCodecContext ctx, AVPacket packet, String call, Sink sink) throws TranscodeException {
        while (true) {
            int ret = avcodec_receive_packet(ctx, packet);
            if (ret == AvErrors.EAGAIN || ret == AvErrors.EOF) {
                return;
            }
            check(ret, call);
            try {
                byte[] data = new byte[packet.size()];
                new BytePointer(packet.data()).get(data, 0, data.length);
                sink.accept(packet, data);
            } finally {
                av_packet_unref(packet);
            }
        }
    }
}
