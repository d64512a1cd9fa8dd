package io.loomcast.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.auth.UrlSignature;
import io.loomcast.gateway.config.Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gateway sign}: the secret from the environment or the config, and never printed. */
class SignCommandTest {
    private static final String SECRET = "0123456789abcdef0123";
    private static final Instant NOW = Instant.ofEpochSecond(1_767_225_000L);

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run sign(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SignCommand(env, InstantSource.fixed(NOW)));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString().strip(), err.toString().strip());
    }

    @Test
    void signsWithTheSecretFromTheEnvironment() {
        Run r = sign(Map.of(SignCommand.SECRET_ENV, SECRET), "live/show", "--expires", "1h");
        assertEquals(0, r.exit(), r.err());
        assertEquals("live/show?" + UrlSignature.query(new Secret(SECRET), "live/show", NOW.getEpochSecond() + 3600),
                r.out());
        assertFalse(r.out().contains(SECRET));
    }

    @Test
    void takesTheSecretOfTheFirstMatchingRuleOfTheConfig() throws Exception {
        Path config = Files.writeString(dir.resolve("g.yaml"), """
                auth:
                  publish:
                    - app: live
                      secret: ${SIGNING_SECRET}
                  play:
                    - app: "*"
                      keys: [k]
                """);
        Run r = sign(Map.of("SIGNING_SECRET", SECRET), "live/a/b", "--expires", "90s", "-c", config.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("live/a/b?expires=" + (NOW.getEpochSecond() + 90) + "&sig="
                + java.util.HexFormat.of().formatHex(UrlSignature.mac(new Secret(SECRET), "live/a/b",
                NOW.getEpochSecond() + 90)), r.out());
        Run play = sign(Map.of("SIGNING_SECRET", SECRET), "live/x", "--play", "-c", config.toString());
        assertEquals(1, play.exit());
        assertTrue(play.err().contains("has no secret"), play.err());
        Run other = sign(Map.of("SIGNING_SECRET", SECRET), "other/x", "-c", config.toString());
        assertEquals(1, other.exit());
        assertTrue(other.err().contains("no secret"), other.err());
        assertFalse((play.err() + other.err()).contains(SECRET));
    }

    @Test
    void badArgumentsAreRefused() {
        Map<String, String> env = Map.of(SignCommand.SECRET_ENV, SECRET);
        assertEquals(1, sign(env, "show").exit());
        assertEquals(1, sign(env, "live/show?key=x").exit());
        assertEquals(1, sign(env, "live/show", "--expires", "1 hour").exit());
        assertTrue(sign(env, "live/show", "--expires", "7d").out().contains("expires=" + (NOW.getEpochSecond()
                + 7 * 86_400)));
    }
}
