package io.loomcast.gateway.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of deploy/docker/Dockerfile's final stage, read the way Docker reads them (line continuations
 * joined, comments dropped, exec-form JSON arrays), so the layout test starts exactly what the image would.
 *
 * @param instructions every instruction of the file, in order: keyword and its arguments
 */
record Dockerfile(List<Map.Entry<String, String>> instructions) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV = Pattern.compile("(\\w+)=\"([^\"]*)\"|(\\w+)=(\\S+)");

    static Dockerfile read(Path file) throws IOException {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String instruction = pending.toString();
            pending.setLength(0);
            int space = instruction.indexOf(' ');
            out.add(Map.entry(instruction.substring(0, space).toUpperCase(), instruction.substring(space + 1).strip()));
        }
        return new Dockerfile(out);
    }

    /** The arguments of every {@code keyword} instruction after the last FROM (the image's own stage). */
    List<String> all(String keyword) {
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).getKey().equals("FROM")) {
                lastFrom = i;
            }
        }
        return instructions.subList(lastFrom, instructions.size()).stream().filter(e -> e.getKey().equals(keyword))
                .map(Map.Entry::getValue).toList();
    }

    /** The last {@code keyword} of the final stage, as Docker takes it. */
    String last(String keyword) {
        List<String> found = all(keyword);
        if (found.isEmpty()) {
            fail("the Dockerfile's final stage has no " + keyword);
        }
        return found.getLast();
    }

    /** Whether any stage runs {@code command} exactly. */
    boolean runs(String command) {
        return instructions.stream().anyMatch(e -> e.getKey().equals("RUN") && e.getValue().equals(command));
    }

    /** An exec-form instruction's argv, e.g. ENTRYPOINT ["a", "b"]; the HEALTHCHECK's after its CMD. */
    List<String> execForm(String keyword) throws IOException {
        String args = last(keyword);
        if (keyword.equals("HEALTHCHECK")) {
            args = args.substring(args.indexOf("CMD ") + 4).strip();
        }
        if (!args.startsWith("[")) {
            fail(keyword + " is not in exec form (a JSON array): " + args);
        }
        return JSON.readValue(args, new TypeReference<List<String>>() {});
    }

    /** The final stage's ENV, in order. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : all("ENV")) {
            Matcher m = ENV.matcher(e);
            while (m.find()) {
                env.put(m.group(1) != null ? m.group(1) : m.group(3), m.group(2) != null ? m.group(2) : m.group(4));
            }
        }
        return env;
    }
}
