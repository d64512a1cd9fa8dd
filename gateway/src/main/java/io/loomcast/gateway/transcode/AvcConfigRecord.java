package io.loomcast.gateway.transcode;

import io.loomcast.gateway.media.AvcSps;
import io.loomcast.gateway.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Builds an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) from an encoder's SPS and PPS: the body
 * of the sequence header a transcoded stream starts with.
 */
final class AvcConfigRecord {
    private AvcConfigRecord() {}

    /**
     * @throws ProtocolException when there is no SPS or PPS, or the SPS does not parse
     */
    static byte[] build(List<byte[]> spsList, List<byte[]> ppsList) throws ProtocolException {
        if (spsList.isEmpty() || ppsList.isEmpty()) {
            throw new ProtocolException("encoder gave %d SPS and %d PPS; need at least one of each"
                    .formatted(spsList.size(), ppsList.size()));
        }
        byte[] first = spsList.get(0);
        AvcSps sps = AvcSps.parse(first, 0, first.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1); // configurationVersion
        out.write(first[1]); // AVCProfileIndication = profile_idc
        out.write(first[2]); // profile_compatibility = the constraint flags byte
        out.write(first[3]); // AVCLevelIndication = level_idc
        out.write(0xFC | 3); // reserved '111111' + lengthSizeMinusOne = 3: 4-byte NAL lengths
        out.write(0xE0 | spsList.size()); // reserved '111' + numOfSequenceParameterSets
        spsList.forEach(n -> writeWithLength(out, n));
        out.write(ppsList.size());
        ppsList.forEach(n -> writeWithLength(out, n));
        if (hasExtension(sps.profileIdc())) {
            // 5.3.3.1.2: these profiles append chroma format, bit depths and SPS extensions.
            out.write(0xFC | sps.chromaFormatIdc());
            out.write(0xF8 | (sps.bitDepthLuma() - 8));
            out.write(0xF8 | (sps.bitDepthChroma() - 8));
            out.write(0); // numOfSequenceParameterSetExt
        }
        return out.toByteArray();
    }

    /** The profile_idc values whose records carry the extension (14496-15: not 66, 77 or 88). */
    static boolean hasExtension(int profileIdc) {
        return profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 144;
    }

    private static void writeWithLength(ByteArrayOutputStream out, byte[] nal) {
        out.write(nal.length >>> 8);
        out.write(nal.length);
        out.write(nal, 0, nal.length);
    }
}
