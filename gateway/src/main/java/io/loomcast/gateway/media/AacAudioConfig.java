package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * The leading fields of an MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), the body of an AAC
 * sequence header (legacy SoundFormat 10 or Enhanced RTMP 'mp4a'). HE-AAC is recognised when signalled
 * explicitly (object type 5 or 29) or by the backward-compatible sync extension (14496-3 1.6.6.1.2).
 *
 * @param audioObjectType          the core object type (1 Main, 2 LC, ...; never 5 or 29, reported as sbr and ps)
 * @param samplingFrequencyHz      the core sampling frequency
 * @param channelConfiguration     channelConfiguration; 0 means a program_config_element defines the channels
 * @param extensionSamplingFrequencyHz the SBR output sampling frequency, 0 without SBR
 * @param sbr                      spectral band replication present (HE-AAC)
 * @param ps                       parametric stereo present (HE-AAC v2)
 */
public record AacAudioConfig(
        int audioObjectType,
        int samplingFrequencyHz,
        int channelConfiguration,
        int extensionSamplingFrequencyHz,
        boolean sbr,
        boolean ps) {

    /** 14496-3 Table 1.18 samplingFrequencyIndex; 13 and 14 are reserved, 15 means an explicit 24-bit value. */
    private static final int[] FREQUENCIES_HZ = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };
    private static final int AOT_SBR = 5;
    private static final int AOT_PS = 29;
    private static final int AOT_ER_BSAC = 22;
    private static final int SYNC_EXTENSION_SBR = 0x2B7;
    private static final int SYNC_EXTENSION_PS = 0x548;

    /** Channels the decoder outputs: 14496-3 Table 1.19 (7 is 7.1, 11 is 6.1, ...); 0 when a PCE decides. */
    public int channels() {
        return switch (channelConfiguration) {
            case 1, 2, 3, 4, 5, 6 -> ps && channelConfiguration == 1 ? 2 : channelConfiguration;
            case 7, 12, 14 -> 8;
            case 11 -> 7;
            case 13 -> 24;
            default -> 0;
        };
    }

    /** The sampling frequency a decoder outputs: the SBR one for HE-AAC, else the core one. */
    public int outputSamplingFrequencyHz() {
        return sbr ? extensionSamplingFrequencyHz : samplingFrequencyHz;
    }

    /** Parses an AudioSpecificConfig. Bits after the fields described above are ignored. */
    public static AacAudioConfig parse(byte[] b, int offset, int length) throws ProtocolException {
        BigEndian.checkSlice(b, offset, length);
        BitReader r = new BitReader(b, offset, length, "AudioSpecificConfig");
        int aot = objectType(r);
        int frequency = frequency(r, "samplingFrequencyIndex");
        int channelConfiguration = r.u(4, "channelConfiguration");
        boolean sbr = false;
        boolean ps = false;
        int extensionFrequency = 0;
        if (aot == AOT_SBR || aot == AOT_PS) {
            // Explicit hierarchical signalling: the extension rate, then the core object type.
            sbr = true;
            ps = aot == AOT_PS;
            extensionFrequency = frequency(r, "extensionSamplingFrequencyIndex");
            aot = objectType(r);
            if (aot == AOT_ER_BSAC) {
                r.skip(4, "extensionChannelConfiguration");
            }
        } else if (isPlainGeneralAudio(aot) && channelConfiguration != 0) {
            // 14496-3 4.4.1 GASpecificConfig, then an optional sync extension announcing SBR/PS implicitly.
            r.skip(1, "frameLengthFlag");
            if (r.flag("dependsOnCoreCoder")) {
                r.skip(14, "coreCoderDelay");
            }
            boolean extensionFlag = r.flag("extensionFlag");
            if (aot == 6) {
                r.skip(3, "layerNr");
            }
            if (!extensionFlag && r.bitsLeft() >= 16 && r.u(11, "syncExtensionType") == SYNC_EXTENSION_SBR) {
                int extensionAot = objectType(r);
                if (extensionAot == AOT_SBR) {
                    sbr = r.flag("sbrPresentFlag");
                    if (sbr) {
                        extensionFrequency = frequency(r, "extensionSamplingFrequencyIndex");
                        if (r.bitsLeft() >= 12 && r.u(11, "syncExtensionType") == SYNC_EXTENSION_PS) {
                            ps = r.flag("psPresentFlag");
                        }
                    }
                }
            }
        }
        return new AacAudioConfig(aot, frequency, channelConfiguration, extensionFrequency, sbr, ps);
    }

    /** 14496-3 1.6.2.1 GetAudioObjectType(): 5 bits, 31 escapes to 32 + 6 more bits. */
    private static int objectType(BitReader r) throws ProtocolException {
        int aot = r.u(5, "audioObjectType");
        if (aot == 31) {
            aot = 32 + r.u(6, "audioObjectTypeExt");
        }
        if (aot == 0) {
            throw new ProtocolException("AudioSpecificConfig: audioObjectType 0 (null object)");
        }
        return aot;
    }

    private static int frequency(BitReader r, String field) throws ProtocolException {
        int index = r.u(4, field);
        if (index == 0x0F) {
            int hz = r.u(24, "samplingFrequency");
            if (hz == 0) {
                throw new ProtocolException("AudioSpecificConfig: explicit samplingFrequency 0");
            }
            return hz;
        }
        if (index >= FREQUENCIES_HZ.length) {
            throw new ProtocolException("AudioSpecificConfig: %s %d is reserved".formatted(field, index));
        }
        return FREQUENCIES_HZ[index];
    }

    /** Object types whose GASpecificConfig ends without error-resilience fields (1-4 AAC, 6 AAC scalable, 7 TwinVQ). */
    private static boolean isPlainGeneralAudio(int aot) {
        return aot >= 1 && aot <= 4 || aot == 6 || aot == 7;
    }
}
