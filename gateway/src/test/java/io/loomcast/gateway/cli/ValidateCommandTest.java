package io.loomcast.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int validate(Map<String, String> env, String... args) {
        CommandLine cmd = new CommandLine(new ValidateCommand(env));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void validFilePrintsOneSummaryLineAndExitsZero(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, """
                api: { listen: 127.0.0.1:0 }
                routes:
                  - stream: live/*
                    push:
                      - rtmp://b.example/live/{name}
                  - stream: relay/a
                    pull: rtmp://origin/live/a
                    push:
                      - rtmp://y.example/live2/${KEY}
                      - url: rtmp://z.example/live2/${KEY}
                """);
        assertEquals(0, validate(Map.of("KEY", "secret"), file.toString()));
        assertEquals(file + ": OK: RTMP on 127.0.0.1:1935, API on 127.0.0.1:0, 2 routes (1 wildcard, 1 pull,"
                + " 3 pushes), 0 transcode profiles" + System.lineSeparator(), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void invalidFilePrintsEveryErrorOnePerLineAndExitsOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                server:
                  chunkSze: 4096
                routes:
                  - stream: live/a
                    push:
                      - rtmp://a.rtmp.youtube.com/live2/${YT_KEY}
                      - http://x/live/k
                """);
        assertEquals(ValidateCommand.INVALID, validate(Map.of(), file.toString()));
        String nl = System.lineSeparator();
        assertEquals(file + ":2:3: server.chunkSze: unknown key; did you mean 'chunkSize'?" + nl
                + file + ":6:41: routes[0].push[0]: environment variable YT_KEY is not set;"
                + " set it, or give a default: ${YT_KEY:-value}" + nl
                + file + ":7:9: routes[0].push[1]: scheme \"http\" is not rtmp or rtmps;"
                + " e.g. rtmp://host:1935/app/stream" + nl, err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void missingFileExitsOne(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertEquals(1, validate(Map.of(), file.toString()));
        assertEquals(file + ": cannot read the file: no such file" + System.lineSeparator(), err.toString());
    }

    @Test
    void defaultConfigOfTheRepositoryIsValid() {
        Path file = Path.of("../config/gateway.yaml");
        assertEquals(0, validate(Map.of(), Files.exists(file) ? file.toString() : "config/gateway.yaml"));
        assertEquals(1, out.toString().lines().count());
    }

    @Test
    void missingArgumentIsAUsageError() {
        assertEquals(2, validate(Map.of()));
    }

    @Test
    void registeredUnderMain() {
        assertEquals(0, Main.commandLine().execute("validate", "--help"));
    }
}
