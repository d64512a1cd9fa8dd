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

    @Test
    void shardListsTheRestreamRoutesThatReplicaRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("restream.yaml");
        StringBuilder yaml = new StringBuilder("cluster: {shard: \"${POD_NAME}\", replicas: 3}\nroutes:\n");
        for (int r = 0; r < 6; r++) {
            yaml.append("  - {stream: restream/r%d, pull: \"rtmp://o/live/s\", push: [\"rtmp://d/out/r%d\"]}\n"
                    .formatted(r, r));
        }
        yaml.append("  - {stream: live/*, push: [\"rtmp://d/{app}/{name}\"]}\n");
        Files.writeString(file, yaml);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 3; i++) {
            out.getBuffer().setLength(0);
            assertEquals(0, validate(Map.of("POD_NAME", "restream-0"), file.toString(), "--shard", i + "/3"), err::toString);
            var owned = out.toString().lines().filter(l -> l.startsWith("  restream/")).map(String::strip).toList();
            for (String route : owned) {
                org.junit.jupiter.api.Assertions.assertTrue(seen.add(route), route + " listed twice");
                org.junit.jupiter.api.Assertions.assertTrue(
                        new io.loomcast.gateway.cluster.Shard(i, 3).owns(route), route);
            }
            org.junit.jupiter.api.Assertions.assertTrue(out.toString().contains("shard %d/3 runs %d of the 6 routes"
                    .formatted(i, owned.size())), out.toString());
            org.junit.jupiter.api.Assertions.assertTrue(out.toString().contains("every replica runs the other 1 route"),
                    out.toString());
        }
        assertEquals(6, seen.size(), "the three shards list every route once: " + seen);
        // Without --shard, the file's own cluster section is the replica: POD_NAME restream-2 is ordinal 2.
        out.getBuffer().setLength(0);
        assertEquals(0, validate(Map.of("POD_NAME", "restream-2"), file.toString()));
        org.junit.jupiter.api.Assertions.assertTrue(out.toString().contains("shard 2/3 runs"), out.toString());
        assertEquals(2, validate(Map.of("POD_NAME", "restream-0"), file.toString(), "--shard", "3/3"));
    }
}
