package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.amf.AmfValue;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One event of a {@link SharedObjectMessage} (RTMP 7.1.3): a 1-byte type, a 4-byte data length, then data.
 *
 * <p>RTMP 7.1.3 names the events but not their data. The layouts here are the ones Flash Player, Flash Media
 * Server and Red5 agree on: property names and status strings are AMF0 string bodies (16-bit length, UTF-8,
 * no marker); property values and message arguments are AMF0 values with their markers. Any other event type
 * is kept as {@link Unparsed}. The events are small parts of one message, so they share this file.
 */
public sealed interface SharedObjectEvent {

    /** Use (1): the client asks to use the named shared object. No data. */
    record Use() implements SharedObjectEvent {}

    /** Release (2): the client no longer needs the shared object. No data. */
    record Release() implements SharedObjectEvent {}

    /** Request Change (3): the client asks to set a property. */
    record RequestChange(String property, AmfValue value) implements SharedObjectEvent {
        public RequestChange {
            Objects.requireNonNull(property, "property");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Change (4): the server tells clients a property now has this value. */
    record Change(String property, AmfValue value) implements SharedObjectEvent {
        public Change {
            Objects.requireNonNull(property, "property");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Success (5): the server accepted the requesting client's Request Change of this property. */
    record Success(String property) implements SharedObjectEvent {
        public Success {
            Objects.requireNonNull(property, "property");
        }
    }

    /** Send Message (6): a call of {@code handler} on every subscriber, with these arguments. */
    record SendMessage(String handler, List<AmfValue> arguments) implements SharedObjectEvent {
        public SendMessage {
            Objects.requireNonNull(handler, "handler");
            arguments = List.copyOf(arguments);
        }
    }

    /** Status (7): an error or warning for the client: code {@code SharedObject.NoReadAccess}, level {@code error}. */
    record Status(String code, String level) implements SharedObjectEvent {
        public Status {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(level, "level");
        }
    }

    /** Clear (8): the client should discard its copy, on a failed Use or a version mismatch. No data. */
    record Clear() implements SharedObjectEvent {}

    /** Remove (9): the server removed this property. */
    record Remove(String property) implements SharedObjectEvent {
        public Remove {
            Objects.requireNonNull(property, "property");
        }
    }

    /** Request Remove (10): the client asks to remove this property. */
    record RequestRemove(String property) implements SharedObjectEvent {
        public RequestRemove {
            Objects.requireNonNull(property, "property");
        }
    }

    /** Use Success (11): the server accepted Use. No data. */
    record UseSuccess() implements SharedObjectEvent {}

    /** An event type RTMP 7.1.3 does not define (FMS sends 12..14), kept as type and data. */
    record Unparsed(int eventType, byte[] data) implements SharedObjectEvent {
        public Unparsed {
            Checks.range(eventType, 0, 255, "shared object event type");
            if (eventType >= SharedObjectCodec.USE && eventType <= SharedObjectCodec.USE_SUCCESS) {
                throw new IllegalArgumentException("shared object event type %d has its own record"
                        .formatted(eventType));
            }
            Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unparsed u && u.eventType == eventType && Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * eventType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Unparsed[eventType=%d, data=%s]".formatted(eventType, Checks.describe(data));
        }
    }
}
