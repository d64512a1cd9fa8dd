/**
 * Media messages as FLV tag bodies: what codec, what kind of packet, whether it is a keyframe, and the
 * decoder configuration a sequence header carries.
 *
 * <p>{@link io.loomcast.gateway.media.FlvTags} reads the header of every RTMP audio/video message without
 * copying it. {@link io.loomcast.gateway.media.VideoDecoderConfig} and
 * {@link io.loomcast.gateway.media.AacAudioConfig} parse the payload of sequence headers, once per header.
 *
 * <p>Specifications: Adobe FLV 10.1 Annex E (AUDIODATA, VIDEODATA); veovera enhanced-rtmp v2 (ExAudioTagHeader,
 * ExVideoTagHeader, ModEx, multitrack); ISO/IEC 14496-15 (avcC 5.3.3.1, hvcC 8.3.3.1); ITU-T H.264 7.3.2.1.1 and
 * H.265 7.3.2.2 (SPS); AV1 Codec ISO Media File Format Binding 2.3 and the AV1 bitstream spec 5.5 (sequence
 * header OBU); VP Codec ISO Media File Format Binding 2.2 (vpcC); ISO/IEC 14496-3 1.6.2.1 (AudioSpecificConfig).
 *
 * <p>Not parsed: Opus and FLAC sequence headers (recognised, payload left to the consumer), the
 * MultichannelConfig channel map beyond its lengths, AMF metadata bodies (the AMF package does that), VUI.
 */
package io.loomcast.gateway.media;
