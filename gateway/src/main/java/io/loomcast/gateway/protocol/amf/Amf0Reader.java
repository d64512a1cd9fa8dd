package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.Amf0Marker.*;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values (AMF0 spec, section 2) from one message payload, including the AVM+ marker 0x11 after
 * which one value is AMF3 (section 3.1).
 *
 * <ul>
 *   <li>Any input either decodes or throws {@link ProtocolException}; every length and count is checked
 *       against the remaining bytes before anything is allocated, and {@link AmfLimits} caps nesting and
 *       reference expansion. After a failure the reader stays failed.
 *   <li>References (0x07, section 2.9) index the objects, typed objects, ECMA and strict arrays read so far
 *       from this payload, counted from 0 in the order they start. A reference resolves to the same
 *       instance. A reference to a value still being read (a cycle) is rejected: values are immutable.
 *   <li>Each AVM+ switch starts fresh AMF3 reference tables, as {@link Amf0Writer} does.
 *   <li>Leniency: malformed UTF-8 decodes to U+FFFD rather than failing, and an object property with an
 *       empty name (UTF-8-empty not followed by the object-end marker) is accepted.
 * </ul>
 */
public final class Amf0Reader {
    private final AmfInput in;
    /** Objects, typed objects and arrays in the order they started (AMF0 2.9). */
    private final RefTable<AmfValue> refs = new RefTable<>("AMF0 reference");
    private ProtocolException failure;

    public Amf0Reader(byte[] data) {
        this(data, 0, data.length);
    }

    public Amf0Reader(byte[] data, int offset, int length) {
        this(data, offset, length, AmfLimits.DEFAULT);
    }

    public Amf0Reader(byte[] data, int offset, int length, AmfLimits limits) {
        this.in = new AmfInput(data, offset, length, limits);
    }

    public boolean hasRemaining() {
        return in.remaining() > 0;
    }

    /** Offset of the next unread byte, relative to the start of the array. */
    public int position() {
        return in.position();
    }

    public AmfValue read() throws ProtocolException {
        if (failure != null) {
            throw new ProtocolException("AMF0 reader already failed: " + failure.getMessage(), failure);
        }
        try {
            if (!hasRemaining()) {
                throw new ProtocolException("no AMF0 value at offset %d: end of payload".formatted(in.position()));
            }
            return value();
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /** Every value up to the end of the payload. */
    public List<AmfValue> readAll() throws ProtocolException {
        List<AmfValue> values = new ArrayList<>();
        while (hasRemaining()) {
            values.add(read());
        }
        return values;
    }

    private AmfValue value() throws ProtocolException {
        int at = in.position();
        int marker = in.u8("AMF0 value marker");
        return switch (marker) {
            case NUMBER -> new AmfValue.Num(in.f64("AMF0 number"));
            // AMF0 2.3: zero is false, anything else true.
            case BOOLEAN -> in.u8("AMF0 boolean") != 0 ? AmfValue.Bool.TRUE : AmfValue.Bool.FALSE;
            case STRING -> new AmfValue.Str(shortString("AMF0 string"));
            case OBJECT -> object(at);
            case MOVIECLIP -> throw new ProtocolException(
                    "AMF0 movieclip marker 0x04 at offset %d is reserved and not supported".formatted(at));
            case NULL -> AmfValue.NULL;
            case UNDEFINED -> AmfValue.UNDEFINED;
            case REFERENCE -> reference(at);
            case ECMA_ARRAY -> ecmaArray(at);
            case OBJECT_END -> throw new ProtocolException(
                    "AMF0 object-end marker 0x09 at offset %d outside an object".formatted(at));
            case STRICT_ARRAY -> strictArray(at);
            // AMF0 2.13: the time zone is an S16 that should be zero; kept so it re-encodes.
            case DATE -> new AmfValue.Date(in.f64("AMF0 date"), (short) in.u16("AMF0 date time zone"));
            case LONG_STRING -> new AmfValue.Str(longString("AMF0 long string"));
            case UNSUPPORTED -> AmfValue.UNSUPPORTED;
            case RECORDSET -> throw new ProtocolException(
                    "AMF0 recordset marker 0x0E at offset %d is reserved and not supported".formatted(at));
            case XML_DOCUMENT -> new AmfValue.XmlDocument(longString("AMF0 XML document"));
            case TYPED_OBJECT -> typedObject(at);
            case AVMPLUS -> new Amf3Reader(in).switched();
            default -> throw new ProtocolException(
                    "unknown AMF0 marker 0x%02X at offset %d".formatted(marker, at));
        };
    }

    /** UTF-8 with a U16 byte length (AMF0 1.3). */
    private String shortString(String what) throws ProtocolException {
        int fieldAt = in.position();
        return in.utf8(in.u16(what, AmfInput.LENGTH), what, fieldAt);
    }

    /** UTF-8-long: a U32 byte length (AMF0 1.3). */
    private String longString(String what) throws ProtocolException {
        int fieldAt = in.position();
        return in.utf8(in.u32(what, AmfInput.LENGTH), what, fieldAt);
    }

    private AmfValue object(int at) throws ProtocolException {
        in.enter("AMF0 object", at);
        int index = startRef();
        long referencedBefore = in.referencedBytes();
        AmfValue v = new AmfValue.Obj(properties("AMF0 object property name"));
        endRef(index, v, at, referencedBefore);
        in.leave();
        return v;
    }

    private AmfValue typedObject(int at) throws ProtocolException {
        in.enter("AMF0 typed object", at);
        int index = startRef();
        long referencedBefore = in.referencedBytes();
        String className = shortString("AMF0 typed object class name");
        AmfValue v = new AmfValue.TypedObject(className, properties("AMF0 typed object property name"));
        endRef(index, v, at, referencedBefore);
        in.leave();
        return v;
    }

    private AmfValue ecmaArray(int at) throws ProtocolException {
        in.enter("AMF0 ECMA array", at);
        int index = startRef();
        long referencedBefore = in.referencedBytes();
        // AMF0 2.10: the associative count is only a hint; the end marker is what ends the array.
        in.u32("AMF0 ECMA array count");
        AmfValue v = new AmfValue.EcmaArray(properties("AMF0 ECMA array property name"));
        endRef(index, v, at, referencedBefore);
        in.leave();
        return v;
    }

    private AmfValue strictArray(int at) throws ProtocolException {
        in.enter("AMF0 strict array", at);
        int index = startRef();
        long referencedBefore = in.referencedBytes();
        int countAt = in.position();
        int count = in.checkCount(in.u32("AMF0 strict array count"), 1, "AMF0 strict array", countAt);
        List<AmfValue> items = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            items.add(value());
        }
        AmfValue v = new AmfValue.StrictArray(items);
        endRef(index, v, at, referencedBefore);
        in.leave();
        return v;
    }

    /**
     * Properties up to UTF-8-empty followed by the object-end marker (AMF0 2.5).
     *
     * @param nameWhat names a property name in messages, e.g. "AMF0 object property name"
     */
    private Map<String, AmfValue> properties(String nameWhat) throws ProtocolException {
        Map<String, AmfValue> props = new LinkedHashMap<>();
        while (true) {
            int nameAt = in.position();
            int nameLength = in.u16(nameWhat, AmfInput.LENGTH);
            if (nameLength == 0) {
                if (in.peek() == OBJECT_END) {
                    in.skip(1);
                    return props;
                }
                props.put("", value());
                continue;
            }
            String name = in.utf8(nameLength, nameWhat, nameAt);
            props.put(name, value());
        }
    }

    private AmfValue reference(int at) throws ProtocolException {
        return refs.resolve(in.u16("AMF0 reference index"), at, in);
    }

    private int startRef() {
        return refs.reserve();
    }

    private void endRef(int index, AmfValue v, int at, long referencedBefore) {
        refs.fill(index, v, (in.position() - at) + (in.referencedBytes() - referencedBefore));
    }
}
