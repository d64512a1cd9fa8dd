package io.loomcast.gateway.protocol.amf;

/** Writes AMF0 values. API pinned; body in progress. */
public final class Amf0Writer {
    public Amf0Writer write(AmfValue value) {
        throw new UnsupportedOperationException("AMF0 writer not written yet");
    }

    public byte[] toByteArray() {
        throw new UnsupportedOperationException();
    }

    public static byte[] encode(AmfValue... values) {
        Amf0Writer w = new Amf0Writer();
        for (AmfValue v : values) {
            w.write(v);
        }
        return w.toByteArray();
    }
}
