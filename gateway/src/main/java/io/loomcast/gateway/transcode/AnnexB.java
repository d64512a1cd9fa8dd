package io.loomcast.gateway.transcode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 byte-stream format (ITU-T H.264 Annex B: NAL units behind {@code 00 00 01} or {@code 00 00 00 01}
 * start codes), as encoders emit it, and its conversion to the length-prefixed form (ISO/IEC 14496-15 5.3.4,
 * "AVCC") that FLV carries.
 */
final class AnnexB {
    /** nal_unit_type values (H.264 table 7-1) this package looks at. */
    static final int NAL_IDR = 5;
    static final int NAL_SEI = 6;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;

    private AnnexB() {}

    /** The NAL units of {@code data[0, length)}, start codes removed. Bytes before the first start code are ignored. */
    static List<byte[]> split(byte[] data, int length) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    nals.add(trimmed(data, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < length) {
            nals.add(trimmed(data, start, length));
        }
        nals.removeIf(n -> n.length == 0);
        return nals;
    }

    /** One NAL from {@code start} to {@code end}, without the zero bytes that belong to the next 4-byte start code. */
    private static byte[] trimmed(byte[] data, int start, int end) {
        // H.264 B.2: trailing_zero_8bits may follow a NAL; a NAL never ends in a zero byte (rbsp_trailing_bits).
        while (end > start && data[end - 1] == 0) {
            end--;
        }
        byte[] nal = new byte[end - start];
        System.arraycopy(data, start, nal, 0, nal.length);
        return nal;
    }

    static int type(byte[] nal) {
        return nal[0] & 0x1F;
    }

    /**
     * Length-prefixed (4-byte big-endian lengths) NAL units, dropping access unit delimiters, which FLV
     * players do not need, and, when {@code dropParameterSets}, SPS and PPS that the sequence header already carries.
     */
    static byte[] toAvcc(List<byte[]> nals, boolean dropParameterSets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            int t = type(nal);
            if (t == NAL_AUD || (dropParameterSets && (t == NAL_SPS || t == NAL_PPS))) {
                continue;
            }
            out.write(nal.length >>> 24);
            out.write(nal.length >>> 16);
            out.write(nal.length >>> 8);
            out.write(nal.length);
            out.write(nal, 0, nal.length);
        }
        return out.toByteArray();
    }
}
