package io.loomcast.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Parses a scrape with the Prometheus project's own Python client (Debian's python3-prometheus-client): the
 * text format or OpenMetrics. A scrape it refuses fails the test with its error. Samples come back as
 * {@code name{label="value",...}} (labels sorted) to value.
 */
final class PrometheusText {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families as text
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            data = sys.stdin.read()
            for family in (om if sys.argv[1] == "openmetrics" else text)(data):
                for s in family.samples:
                    labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
                    print("%s{%s}\\t%r" % (s.name, labels, float(s.value)))
            """;

    private PrometheusText() {}

    static Map<String, Double> parse(String scrape, boolean openMetrics) throws IOException, InterruptedException {
        if (!PYTHON.toFile().canExecute()) {
            fail("/usr/bin/python3 missing: bin/test installs python3-prometheus-client");
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, openMetrics ? "openmetrics" : "text")
                .redirectErrorStream(false).start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the Prometheus parser did not finish");
        }
        assertEquals(0, p.exitValue(), () -> "the Prometheus " + (openMetrics ? "OpenMetrics" : "text") + " parser refused "
                + "the scrape (install python3-prometheus-client if it is missing):\n" + err);
        Map<String, Double> samples = new TreeMap<>();
        for (String line : out.split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) {
                samples.put(line.substring(0, tab), Double.parseDouble(line.substring(tab + 1)));
            }
        }
        return samples;
    }
}
