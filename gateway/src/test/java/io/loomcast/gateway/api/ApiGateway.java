package io.loomcast.gateway.api;

import io.loomcast.gateway.cli.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A gateway with its HTTP API, started in-process from a config file written into {@code dir} (so the state
 * file lands beside it), on ephemeral loopback ports. {@link #restart} stops it and starts it again from the
 * same files, as a process restart would.
 */
final class ApiGateway implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789abcdef";

    private final Path configFile;
    private Gateway gateway;
    private ControlPlane control;

    private ApiGateway(Path configFile) {
        this.configFile = configFile;
    }

    /** {@code yaml} is the whole config; {@code api:} is added (loopback, ephemeral port, the test token). */
    static ApiGateway start(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml + """
                api:
                  listen: 127.0.0.1:0
                  token: %s
                """.formatted(TOKEN));
        ApiGateway g = new ApiGateway(file);
        g.boot();
        return g;
    }

    private void boot() throws Exception {
        ControlPlane.Loaded loaded = ControlPlane.load(configFile, Map.of());
        control = new ControlPlane(configFile, Map.of(), loaded);
        gateway = Gateway.start(loaded.config(), control);
    }

    void restart() throws Exception {
        gateway.close();
        boot();
    }

    Gateway gateway() {
        return gateway;
    }

    Path configFile() {
        return configFile;
    }

    Path stateFile() {
        return control.stateFile();
    }

    String base() {
        return "http://127.0.0.1:" + gateway.apiAddress().getPort();
    }

    ApiClient client() {
        return new ApiClient(base(), TOKEN);
    }

    /** {@code rtmp://127.0.0.1:PORT/path} on the gateway. */
    String rtmp(String path) {
        return "rtmp://127.0.0.1:" + gateway.rtmpAddress().getPort() + "/" + path;
    }

    @Override
    public void close() throws java.io.IOException {
        gateway.close();
    }
}
