package io.loomcast.gateway.protocol.amf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares AMF values up to how a number is held: every {@link AmfValue.Int} becomes the equal
 * {@link AmfValue.Num}. AMF0 has only numbers, so an AMF3 integer read after the AVM+ marker comes back from
 * an AMF0 round trip as a number; everything else must come back exactly.
 */
final class NumbersAsDoubles {
    private NumbersAsDoubles() {}

    static List<AmfValue> of(List<AmfValue> values) {
        return values.stream().map(NumbersAsDoubles::of).toList();
    }

    static AmfValue of(AmfValue v) {
        return switch (v) {
            case AmfValue.Int i -> new AmfValue.Num(i.value());
            case AmfValue.Obj o -> new AmfValue.Obj(map(o.properties()));
            case AmfValue.EcmaArray a -> new AmfValue.EcmaArray(map(a.entries()));
            case AmfValue.StrictArray a -> new AmfValue.StrictArray(of(a.items()));
            case AmfValue.TypedObject o -> new AmfValue.TypedObject(o.className(), map(o.properties()));
            case AmfValue.MixedArray a -> new AmfValue.MixedArray(map(a.associative()), of(a.dense()));
            case AmfValue.Amf3Object o ->
                    new AmfValue.Amf3Object(o.className(), o.dynamic(), map(o.sealedMembers()), map(o.dynamicMembers()));
            case AmfValue.ObjectVector ov -> new AmfValue.ObjectVector(ov.typeName(), of(ov.items()), ov.fixed());
            case AmfValue.Dictionary d -> new AmfValue.Dictionary(d.entries().stream()
                    .map(e -> new AmfValue.Dictionary.Entry(of(e.key()), of(e.value()))).toList(), d.weakKeys());
            case AmfValue.Num n -> n;
            case AmfValue.Bool b -> b;
            case AmfValue.Str s -> s;
            case AmfValue.Null n -> n;
            case AmfValue.Undefined u -> u;
            case AmfValue.Unsupported u -> u;
            case AmfValue.Date d -> d;
            case AmfValue.XmlDocument x -> x;
            case AmfValue.Xml x -> x;
            case AmfValue.ByteArray b -> b;
            case AmfValue.IntVector iv -> iv;
            case AmfValue.UintVector uv -> uv;
            case AmfValue.DoubleVector dv -> dv;
        };
    }

    private static Map<String, AmfValue> map(Map<String, AmfValue> m) {
        Map<String, AmfValue> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, of(v)));
        return out;
    }
}
