package io.loomcast.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's OpenAPI 3.1 document, as the tests hold responses to it: the operation for a method and a concrete
 * path, the response for a status (or {@code default}), its content type, and its JSON schema, checked with a
 * JSON Schema 2020-12 validator that resolves the document's {@code $ref}s.
 */
final class OpenApiDoc {
    private static final String BASE = "https://loomcast.invalid/openapi.json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final class Holder {
        static final OpenApiDoc DOC = new OpenApiDoc();
    }

    private final String text;
    private final JsonNode doc;
    private final SchemaRegistry registry;
    /** Path templates as patterns, most specific first: {name} takes the rest of a stream's name, '/' included. */
    private final List<Map.Entry<Pattern, String>> templates = new ArrayList<>();

    static OpenApiDoc get() {
        return Holder.DOC;
    }

    private OpenApiDoc() {
        try (InputStream in = OpenApiDoc.class.getClassLoader()
                .getResourceAsStream("io/loomcast/gateway/api/openapi.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        doc = MAPPER.readTree(text);
        assertEquals("3.1.0", doc.path("openapi").asString());
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(BASE, text)));
        List<String> paths = new ArrayList<>();
        doc.path("paths").propertyNames().forEach(paths::add);
        paths.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (String t : paths) {
            String regex = Pattern.quote(t).replace("{name}", "\\E.+\\Q").replaceAll("\\{[a-z]+\\}", "\\\\E[^/]+\\\\Q");
            templates.add(Map.entry(Pattern.compile(regex), t));
        }
    }

    String text() {
        return text;
    }

    JsonNode doc() {
        return doc;
    }

    /** The template of {@code path} ({@code /api/v1/routes/{route}}), failing when the document has none. */
    String template(String path) {
        for (Map.Entry<Pattern, String> t : templates) {
            if (t.getKey().matcher(path).matches()) {
                return t.getValue();
            }
        }
        return fail("the OpenAPI document has no path for " + path);
    }

    /**
     * Checks one response against the document: the operation exists, the status is declared (or a default
     * is), the content type is one it declares, and a JSON body validates against its schema.
     */
    void check(String method, String path, int status, String contentType, String body) {
        if (status == 404 && templates.stream().noneMatch(t -> t.getKey().matcher(path).matches())) {
            validate(BASE + "#/components/schemas/Error", body, method + " " + path);
            return;
        }
        String template = template(path);
        JsonNode op = doc.path("paths").path(template).path(method.toLowerCase());
        if (!op.isObject() && status == 405) {
            // A method the document does not have: the answer is still the one error shape.
            validate(BASE + "#/components/schemas/Error", body, method + " " + path);
            return;
        }
        assertTrue(op.isObject(), () -> method + " " + template + " is not in the OpenAPI document");
        String code = String.valueOf(status);
        JsonNode response = op.path("responses").has(code) ? op.path("responses").path(code)
                : op.path("responses").path("default");
        assertTrue(response.isObject(), () -> method + " " + path + ": status " + status + " is not declared");
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertTrue(body.isEmpty(), () -> method + " " + path + ": " + status + " declares no body, got " + body);
            return;
        }
        String type = contentType == null ? "" : contentType.split(";")[0].strip();
        assertTrue(content.has(type), () -> method + " " + path + ": content type '" + type + "' not in " + content);
        if (!type.equals("application/json") || template.equals("/api/v1/openapi.json")) {
            return;
        }
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase() + "/responses/"
                + (op.path("responses").has(code) ? code : "default") + "/content/application~1json/schema";
        JsonNode schemaNode = content.path(type).path("schema");
        String location = schemaNode.has("$ref") ? BASE + schemaNode.path("$ref").asString() : BASE + "#" + pointer;
        validate(location, body, method + " " + path + " answered " + status);
    }

    private void validate(String location, String body, String what) {
        Schema schema = registry.getSchema(SchemaLocation.of(location));
        assertNotNull(schema);
        List<Error> errors = schema.validate(MAPPER.readTree(body));
        if (!errors.isEmpty()) {
            fail(what + " with a body that does not fit the OpenAPI schema " + location + ": " + errors
                    + "\nbody: " + body);
        }
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }

    /** Every operation, as "METHOD template", for coverage checks. */
    List<String> operations() {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = doc.path("paths").propertyNames().iterator(); it.hasNext(); ) {
            String p = it.next();
            doc.path("paths").path(p).propertyNames().forEach(m -> out.add(m.toUpperCase() + " " + p));
        }
        return out;
    }
}
