package io.loomcast.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gateway health [URL]}: asks a gateway's {@code /readyz} and exits 0 when it answers 2xx, 1 otherwise
 * (another status, no answer in time, nobody listening). A container's HEALTHCHECK runs it, so the image needs
 * no curl.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a gateway whether it is ready (GET /readyz); exit 0 if it is, 1 if not.")
public final class HealthCommand implements Callable<Integer> {
    /** Exit code when the gateway is not ready or does not answer. */
    public static final int NOT_READY = 1;
    static final String DEFAULT_URL = "http://127.0.0.1:8080/readyz";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "The readiness URL (default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--timeout", defaultValue = "2s", paramLabel = "TIME",
            description = "Give up after this long, connect and answer together (default ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        URI uri;
        Duration limit;
        try {
            uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("expected an http:// or https:// URL");
            }
            limit = io.loomcast.gateway.bench.BenchSettings.parseDuration(timeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        // No proxy: the gateway is on this host or in this pod, and a proxy variable must not send the probe away.
        HttpClient client = HttpClient.newBuilder().connectTimeout(limit).proxy(HttpClient.Builder.NO_PROXY).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(limit).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            boolean ready = response.statusCode() / 100 == 2;
            String body = response.body().strip();
            out.println((ready ? "ready: " : "not ready: ") + response.statusCode()
                    + (body.isEmpty() ? "" : " " + (body.length() > 200 ? body.substring(0, 200) + "..." : body)));
            out.flush();
            return ready ? 0 : NOT_READY;
        } catch (IOException e) {
            out.println("not ready: no answer from " + uri.getHost() + ":" + uri.getPort() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            out.flush();
            return NOT_READY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NOT_READY;
        } finally {
            client.close();
        }
    }
}
