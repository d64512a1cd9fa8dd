package io.loomcast.gateway.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * A JSON Schema (2020-12) validator for the subset benchmarks/bench-report.schema.json uses: type, const,
 * enum, minimum, pattern, properties, required, additionalProperties, propertyNames, items, and $ref to
 * #/$defs. A keyword outside that subset fails validation of the schema itself, so the schema cannot quietly
 * use a rule this validator skips. JSON is parsed with snakeyaml-engine's JSON schema (YAML 1.2 is a
 * superset of JSON), which the project already depends on.
 */
final class SchemaSubset {
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "title", "description");
    private static final Set<String> KEYWORDS = Set.of("type", "const", "enum", "minimum", "pattern", "properties",
            "required", "additionalProperties", "propertyNames", "items", "$ref");

    private final Map<String, Object> root;

    SchemaSubset(String schemaJson) {
        this.root = asObject(parse(schemaJson));
    }

    static Object parse(String json) {
        return new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(json);
    }

    /** Every violation, as "path: what"; empty when the document conforms. */
    List<String> validate(Object document) {
        List<String> errors = new ArrayList<>();
        check(root, document, "$", errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object o) {
        return (Map<String, Object>) o;
    }

    private void check(Map<String, Object> schema, Object value, String path, List<String> errors) {
        for (String key : schema.keySet()) {
            if (!KEYWORDS.contains(key) && !ANNOTATIONS.contains(key)) {
                throw new IllegalArgumentException("schema keyword " + key + " at " + path + " is not supported");
            }
        }
        if (schema.get("$ref") instanceof String ref) {
            if (!ref.startsWith("#/$defs/")) {
                throw new IllegalArgumentException("only #/$defs/ references are supported: " + ref);
            }
            Map<String, Object> defs = asObject(root.get("$defs"));
            Object target = defs.get(ref.substring("#/$defs/".length()));
            if (target == null) {
                throw new IllegalArgumentException("unresolved " + ref);
            }
            check(asObject(target), value, path, errors);
        }
        if (schema.containsKey("const") && !same(schema.get("const"), value)) {
            errors.add(path + ": expected " + schema.get("const") + ", got " + value);
        }
        if (schema.get("enum") instanceof List<?> options && options.stream().noneMatch(o -> same(o, value))) {
            errors.add(path + ": " + value + " is not one of " + options);
        }
        if (schema.containsKey("type")) {
            List<?> types = schema.get("type") instanceof List<?> l ? l : List.of(schema.get("type"));
            if (types.stream().noneMatch(t -> hasType((String) t, value))) {
                errors.add(path + ": " + describe(value) + " is not of type " + types);
                return;
            }
        }
        if (schema.get("minimum") instanceof Number min && value instanceof Number n
                && decimal(n).compareTo(decimal(min)) < 0) {
            errors.add(path + ": " + n + " < minimum " + min);
        }
        if (schema.get("pattern") instanceof String pattern && value instanceof String s
                && !Pattern.compile(pattern).matcher(s).find()) {
            errors.add(path + ": \"" + s + "\" does not match " + pattern);
        }
        if (value instanceof Map<?, ?> map) {
            checkObject(schema, asObject(map), path, errors);
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(asObject(items), list.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private void checkObject(Map<String, Object> schema, Map<String, Object> object, String path, List<String> errors) {
        if (schema.get("required") instanceof List<?> required) {
            for (Object name : required) {
                if (!object.containsKey((String) name)) {
                    errors.add(path + ": missing required key \"" + name + "\"");
                }
            }
        }
        Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? asObject(p) : Map.of();
        for (var e : object.entrySet()) {
            String childPath = path + "." + e.getKey();
            if (schema.get("propertyNames") instanceof Map<?, ?> names) {
                check(asObject(names), e.getKey(), childPath + " (name)", errors);
            }
            if (properties.get(e.getKey()) instanceof Map<?, ?> child) {
                check(asObject(child), e.getValue(), childPath, errors);
            } else if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                errors.add(childPath + ": key not allowed here");
            } else if (schema.get("additionalProperties") instanceof Map<?, ?> additional) {
                check(asObject(additional), e.getValue(), childPath, errors);
            }
        }
    }

    private static boolean hasType(String type, Object value) {
        return switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "number" -> value instanceof Number;
            case "integer" -> value instanceof Number n && decimal(n).stripTrailingZeros().scale() <= 0;
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    private static boolean same(Object expected, Object actual) {
        if (expected instanceof Number a && actual instanceof Number b) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        return expected == null ? actual == null : expected.equals(actual);
    }

    private static BigDecimal decimal(Number n) {
        return new BigDecimal(n.toString());
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
