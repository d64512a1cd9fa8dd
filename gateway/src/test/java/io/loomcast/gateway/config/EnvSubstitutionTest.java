package io.loomcast.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
    private static final Map<String, String> ENV = Map.of("KEY", "k3y", "CS", "8192", "EMPTY", "", "HOST", "h");

    private static String expand(String text) {
        List<String> problems = new ArrayList<>();
        Optional<EnvExpander.Expansion> e = new EnvExpander(ENV).expand(text,
                (offset, message, hint) -> problems.add(offset + ": " + message));
        return e.map(EnvExpander.Expansion::value).orElse(String.join(" | ", problems));
    }

    @Test
    void expandsVariablesAndDefaults() {
        assertEquals("rtmp://h/live2/k3y", expand("rtmp://${HOST}/live2/${KEY}"));
        assertEquals("4096", expand("${UNSET:-4096}"));
        assertEquals("8192", expand("${CS:-4096}"));
        assertEquals("fallback", expand("${EMPTY:-fallback}"), ":- also replaces an empty value, as in the shell");
        assertEquals("", expand("${EMPTY}"));
        assertEquals("a:b", expand("${UNSET:-a:b}"));
        assertEquals("", expand("${UNSET:-}"));
    }

    @Test
    void dollarsThatAreNotReferencesStay() {
        assertEquals("price $5 and $", expand("price $5 and $"));
        assertEquals("${KEY}", expand("$${KEY}"));
        assertEquals("$k3y", expand("$$${KEY}"));
    }

    @Test
    void problemsNameTheVariableAndItsOffset() {
        assertEquals("7: environment variable NOPE is not set", expand("rtmp://${NOPE}"));
        assertEquals("0: environment variable A is not set | 4: environment variable B is not set", expand("${A}${B}"));
        assertEquals("2: unterminated ${ (no closing '}')", expand("x/${KEY"));
        assertEquals("0: \"${a-b}\" is not a variable reference", expand("${a-b}"));
    }

    @Test
    void substitutionHappensBeforeTyping() throws Exception {
        GatewayConfig config = ConfigLoader.parse("server:\n  chunkSize: ${CS:-4096}\n  idleTimeout: ${IDLE:-45s}\n",
                "env.yaml", Map.of("CS", "16KiB"));
        assertEquals(16_384, config.server().chunkSizeBytes());
        assertEquals(java.time.Duration.ofSeconds(45), config.server().idleTimeout());
    }

    @Test
    void keysAreNotSubstituted() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("server:\n  ${K}: 1\n", "k.yaml", Map.of("K", "chunkSize")));
        assertEquals("k.yaml:2:3: server.${K}: unknown key; known: listen, tls, chunkSize, windowAckSize,"
                + " peerBandwidth, handshakeTimeout, idleTimeout, writeTimeout, pingInterval, maxConnections,"
                + " maxConnectionsPerIp, limits, gopCache, subscriberQueue, shutdownGrace, unpublishGrace, mergeWrites",
                e.errors().get(0).format());
    }

    @Test
    void anUnsetVariableIsReportedAtItsColumnEvenInQuotes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("server:\n  listen: \"127.0.0.1:${PORT}\"\n", "q.yaml", Map.of()));
        assertEquals("q.yaml:2:22: server.listen: environment variable PORT is not set;"
                + " set it, or give a default: ${PORT:-value}", e.errors().get(0).format());
    }
}
