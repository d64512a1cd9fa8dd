package io.loomcast.gateway.protocol.message;

/**
 * Which message type a data, command or shared object message came as, so a reply can be sent the same way.
 *
 * <p>RTMP 7.1.1-7.1.3 give each of them an AMF0 type (18, 20, 19) and an AMF3 type (15, 17, 16). The AMF3
 * types' payload is one format byte 0x00, then the same AMF0 values, any of which may switch to AMF3 with the
 * 0x11 marker (AMF0 3.1, "avmplus-object-marker").
 */
public enum AmfEncoding {
    AMF0,
    AMF3
}
