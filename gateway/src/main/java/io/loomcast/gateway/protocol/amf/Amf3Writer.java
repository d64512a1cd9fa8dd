package io.loomcast.gateway.protocol.amf;

/** Writes AMF3 values. API pinned; body in progress. */
public final class Amf3Writer {
    public Amf3Writer write(AmfValue value) {
        throw new UnsupportedOperationException("AMF3 writer not written yet");
    }

    public byte[] toByteArray() {
        throw new UnsupportedOperationException();
    }

    public static byte[] encode(AmfValue... values) {
        Amf3Writer w = new Amf3Writer();
        for (AmfValue v : values) {
            w.write(v);
        }
        return w.toByteArray();
    }
}
