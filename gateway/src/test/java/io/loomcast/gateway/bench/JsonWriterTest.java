package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesNestedValuesIndented() {
        String json = new JsonWriter().beginObject()
                .name("a").value(1)
                .name("b").beginArray().value(true).nullValue().beginObject().endObject().endArray()
                .name("c").value(2.5)
                .endObject().toString();
        assertEquals("""
                {
                  "a": 1,
                  "b": [
                    true,
                    null,
                    {}
                  ],
                  "c": 2.5
                }
                """, json);
    }

    @Test
    void escapesStrings() {
        String json = new JsonWriter().beginObject().name("k\"\\").value("a\nb\t\u0001\u2028\uD83D\uDE00\uD800x")
                .endObject().toString();
        assertEquals("{\n  \"k\\\"\\\\\": \"a\\nb\\t\\u0001\u2028\uD83D\uDE00\\ud800x\"\n}\n", json);
        String parsable = new JsonWriter().beginObject().name("k\"\\").value("a\nb\t\u0001\u00e9\uD83D\uDE00")
                .endObject().toString();
        assertEquals(Map.of("k\"\\", "a\nb\t\u0001\u00e9\uD83D\uDE00"), SchemaSubset.parse(parsable));
    }

    @Test
    void numbersArePlainAndFinite() {
        String json = new JsonWriter().beginArray().value(1e-7).value(123456789.0004).value(1.0005)
                .value(Double.NaN).value(Double.POSITIVE_INFINITY).value(-0.0).value(1e21).value(Long.MIN_VALUE)
                .endArray().toString();
        assertEquals("[\n  0,\n  123456789,\n  1,\n  null,\n  null,\n  0,\n  1000000000000000000000,\n"
                + "  -9223372036854775808\n]\n", json);
        assertEquals(8, ((List<?>) SchemaSubset.parse(json)).size());
    }

    @Test
    void misuseThrowsInsteadOfWritingBrokenJson() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value(1));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().name("x"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().endArray());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().name("x").endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().endObject().beginObject());
    }
}
