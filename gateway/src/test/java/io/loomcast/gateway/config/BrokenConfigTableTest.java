package io.loomcast.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code config/broken/} must fail with exactly the lines of its {@code .expected} sibling:
 * this pins the wording, the positions, the hints and the sort order of every error the loader can give.
 */
class BrokenConfigTableTest {
    /** Values that must never show up in an error, whichever field they were substituted into. */
    private static final Map<String, String> ENV = Map.of(
            "YT_KEY", "yt-secret-1234",
            "BAD_CHUNK", "hunter2-not-a-size",
            "YT_URL_WITH_HTTP", "http://a.rtmp.youtube.com/live2/yt-secret-1234");
    /** A stream key written literally into secrets-in-wrong-place.yaml. */
    private static final String LITERAL_KEY = "abcd-efgh-ijkl-mnop";

    static Stream<String> brokenFiles() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void failsWithExactlyTheExpectedErrors(String fileName) throws Exception {
        Path yaml = dir().resolve(fileName);
        List<String> expected = Files.readAllLines(
                dir().resolve(fileName.replace(".yaml", ".expected")), StandardCharsets.UTF_8);

        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Files.readString(yaml), fileName, ENV));

        List<String> actual = e.errors().stream().map(ConfigError::format).toList();
        assertEquals(String.join("\n", expected), String.join("\n", actual));
        assertTrue(e.getMessage().startsWith(fileName + ": " + expected.size() + " config error"));
        for (String line : actual) {
            for (String secret : ENV.values()) {
                assertFalse(line.contains(secret), () -> "leaks an env value: " + line);
            }
            assertFalse(line.contains(LITERAL_KEY), () -> "leaks a stream key: " + line);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void errorsAreSortedByPosition(String fileName) throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(Files.readString(dir().resolve(fileName)), fileName, ENV));
        List<ConfigError> errors = e.errors();
        for (int i = 1; i < errors.size(); i++) {
            ConfigError a = errors.get(i - 1);
            ConfigError b = errors.get(i);
            assertTrue(a.line() < b.line() || a.line() == b.line() && a.column() <= b.column(),
                    () -> "out of order: " + a + " then " + b);
        }
    }

    private static Path dir() throws URISyntaxException {
        return Path.of(BrokenConfigTableTest.class.getClassLoader().getResource("config/broken").toURI());
    }
}
