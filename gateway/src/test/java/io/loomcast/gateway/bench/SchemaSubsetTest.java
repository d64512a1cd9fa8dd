package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test-side validator must reject what the schema forbids, or the report tests prove nothing. */
class SchemaSubsetTest {
    private static final String SCHEMA = """
            {"type": "object", "required": ["n", "p"], "additionalProperties": false,
             "properties": {
               "n": {"$ref": "#/$defs/count"},
               "p": {"type": "object", "propertyNames": {"pattern": "^(a|b:.+)$"}, "additionalProperties": {"type": "integer"}},
               "s": {"enum": ["x", "y"]},
               "l": {"type": "array", "items": {"type": ["number", "null"]}}},
             "$defs": {"count": {"type": "integer", "minimum": 0}}}
            """;

    private static List<String> errors(String json) {
        return new SchemaSubset(SCHEMA).validate(SchemaSubset.parse(json));
    }

    @Test
    void acceptsConformingDocuments() {
        assertEquals(List.of(), errors("{\"n\": 3, \"p\": {\"a\": 1, \"b:c\": 2}, \"s\": \"x\", \"l\": [1.5, null]}"));
    }

    @Test
    void rejectsEachKindOfViolation() {
        assertEquals(1, errors("{\"p\": {}}").size(), "missing required");
        assertEquals(1, errors("{\"n\": -1, \"p\": {}}").size(), "below minimum");
        assertEquals(1, errors("{\"n\": 1.5, \"p\": {}}").size(), "not an integer");
        assertEquals(1, errors("{\"n\": 1, \"p\": {}, \"zz\": 1}").size(), "additional property");
        assertEquals(1, errors("{\"n\": 1, \"p\": {\"c\": 1}}").size(), "property name pattern");
        assertEquals(1, errors("{\"n\": 1, \"p\": {\"a\": \"1\"}}").size(), "additionalProperties schema");
        assertEquals(1, errors("{\"n\": 1, \"p\": {}, \"s\": \"z\"}").size(), "enum");
        assertEquals(1, errors("{\"n\": 1, \"p\": {}, \"l\": [\"x\"]}").size(), "items");
    }

    @Test
    void refusesKeywordsItDoesNotImplement() {
        SchemaSubset s = new SchemaSubset("{\"type\": \"object\", \"maxProperties\": 1}");
        assertThrows(IllegalArgumentException.class, () -> s.validate(SchemaSubset.parse("{}")));
    }

    @Test
    void theReportSchemaUsesOnlyTheSubset() throws Exception {
        String schema = Files.readString(CliRun.SCHEMA);
        // A minimal report-shaped document walks every keyword of the real schema's top level.
        List<String> e = new SchemaSubset(schema).validate(SchemaSubset.parse("{}"));
        assertTrue(e.stream().anyMatch(m -> m.contains("missing required key \"clients\"")), e.toString());
    }
}
