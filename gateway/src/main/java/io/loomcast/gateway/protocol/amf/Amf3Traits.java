package io.loomcast.gateway.protocol.amf;

import java.util.List;

/**
 * An AMF3 object's traits (AMF3 3.12): class name ("" for anonymous), whether it is dynamic, and the sealed
 * member names in order. Readers keep them for trait references; writers key their trait table by them.
 */
record Amf3Traits(String className, boolean dynamic, List<String> sealedNames) {
    /** The traits of every {@link AmfValue.Obj}. */
    static final Amf3Traits ANONYMOUS_DYNAMIC = new Amf3Traits("", true, List.of());

    Amf3Traits {
        sealedNames = List.copyOf(sealedNames);
    }
}
