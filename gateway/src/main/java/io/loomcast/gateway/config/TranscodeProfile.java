package io.loomcast.gateway.config;

/**
 * One output rendition: H.264 video as {@code video} says, audio copied or re-encoded to AAC. The transcoded
 * stream is published locally as {@code app/name@profile}.
 */
public record TranscodeProfile(String name, VideoProfile video, AudioProfile audio) {}
