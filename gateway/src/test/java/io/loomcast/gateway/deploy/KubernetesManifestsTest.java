package io.loomcast.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import tools.jackson.databind.ObjectMapper;
import io.loomcast.gateway.cluster.Shard;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.RouteConfig;
import io.loomcast.gateway.config.StreamName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/k8s rendered by Debian's kubectl (1.20, whose kustomize is v2.0.3; bin/test installs it into .peers/), every
 * object validated against the Kubernetes OpenAPI schemas by the npm kubernetes-models package with unknown fields
 * refused (deploy/k8s/validate.mjs), then held to what the gateway needs: probes on /healthz and /readyz, a grace
 * period matching server.shutdownGrace, selectors that find the pods, and a gateway.yaml the gateway itself accepts.
 */
class KubernetesManifestsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path PEERS = REPO.resolve(".peers");
    private static final Path KUBECTL = PEERS.resolve("kubernetes-client/usr/bin/kubectl");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/edge", "overlays/origin", "overlays/restream", "bench"})
    void rendersWithKubectl120AndEveryObjectIsValid(String dir) throws Exception {
        List<Map<String, Object>> objects = render(dir);
        assertFalse(objects.isEmpty(), dir);
        Validation v = validate(objects);
        assertEquals(0, v.exitCode(), dir + " breaks the Kubernetes schemas:\n" + v.out());
        assertTrue(v.out().contains(objects.size() + " object(s), 0 problem(s)"), v.out());
    }

    @Test
    void theValidatorRefusesWhatTheApiServerWould() throws Exception {
        Map<String, Object> deployment = only(render("overlays/edge"), "Deployment");
        Map<String, Object> spec = map(deployment, "spec");
        spec.remove("selector");
        Map<String, Object> container = list(map(map(spec, "template"), "spec"), "containers").getFirst();
        container.put("livenesProbe", container.remove("livenessProbe"));
        list(container, "ports").getFirst().put("containerPort", "rtmp");
        // What kubectl 1.20's kustomize made of commonLabels on a StatefulSet without volumeClaimTemplates.
        Map<String, Object> sts = only(render("overlays/restream"), "StatefulSet");
        map(sts, "spec").put("volumeClaimTemplates", Map.of("metadata", Map.of("labels", Map.of("a", "b"))));
        Validation v = validate(List.of(deployment, sts, Map.of("metadata", Map.of())));
        assertEquals(1, v.exitCode(), v.out());
        for (String problem : List.of("/spec: must have required property selector",
                "/spec/template/spec/containers/0/livenesProbe: unknown field",
                "/spec/template/spec/containers/0/ports/0/containerPort: must be integer",
                "/spec/volumeClaimTemplates: must be array", "not a Kubernetes object")) {
            assertTrue(v.out().contains(problem), problem + " in:\n" + v.out());
        }
    }

    private record Validation(int exitCode, String out) {}

    /** deploy/k8s/validate.mjs over {@code objects}. */
    private static Validation validate(List<Map<String, Object>> objects) throws Exception {
        Path modules = PEERS.resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("kubernetes-models"))) {
            fail("kubernetes-models missing from " + modules + ": bin/test installs it (npm)");
        }
        Process node = new ProcessBuilder("node", REPO.resolve("deploy/k8s/validate.mjs").toString(), modules.toString())
                .redirectErrorStream(true).start();
        node.getOutputStream().write(JSON.writeValueAsBytes(objects));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "validate.mjs finished");
        return new Validation(node.exitValue(), out);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/edge", "overlays/origin", "overlays/restream"})
    void theGatewayPodsAreWiredAsTheGatewayNeeds(String dir) throws Exception {
        List<Map<String, Object>> objects = render(dir);
        Map<String, Object> workload = only(objects, dir.endsWith("edge") ? "Deployment" : "StatefulSet");
        Map<String, Object> template = map(map(workload, "spec"), "template");
        Map<String, Object> podLabels = map(map(template, "metadata"), "labels");
        Map<String, Object> pod = map(template, "spec");
        Map<String, Object> container = list(pod, "containers").getFirst();
        Map<String, Integer> ports = new HashMap<>();
        for (Map<String, Object> p : list(container, "ports")) {
            ports.put((String) p.get("name"), (Integer) p.get("containerPort"));
        }
        assertEquals(Map.of("rtmp", 1935, "rtmps", 1936, "api", 8080), ports);

        assertEquals("/healthz", probePath(container, "livenessProbe"));
        assertEquals("/readyz", probePath(container, "readinessProbe"));
        assertEquals("/healthz", probePath(container, "startupProbe"));
        Map<String, Object> annotations = map(map(template, "metadata"), "annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals("8080", annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));

        // preStop lets the load balancer drain, then SIGTERM starts a stop of at most shutdownGrace; then a margin.
        List<?> preStop = (List<?>) map(map(map(container, "lifecycle"), "preStop"), "exec").get("command");
        assertEquals("sleep", preStop.getFirst());
        long preStopS = Long.parseLong((String) preStop.get(1));

        Map<String, Object> resources = map(container, "resources");
        assertNotNull(map(resources, "requests").get("cpu"));
        assertNotNull(map(resources, "limits").get("memory"));
        assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"));
        assertEquals(Boolean.TRUE, map(container, "securityContext").get("readOnlyRootFilesystem"));

        // Every selector finds these pods.
        assertMatches(podLabels, map(map(workload, "spec"), "selector").get("matchLabels"), "the workload's selector");
        assertMatches(podLabels, map(map(only(objects, "PodDisruptionBudget"), "spec"), "selector").get("matchLabels"),
                "the PodDisruptionBudget");
        assertMatches(podLabels, map(map(only(objects, "NetworkPolicy"), "spec"), "podSelector").get("matchLabels"),
                "the NetworkPolicy");
        boolean rtmpBalancer = false;
        boolean api = false;
        for (Map<String, Object> s : all(objects, "Service")) {
            Map<String, Object> spec = map(s, "spec");
            Map<String, Object> selector = map(spec, "selector");
            selector.remove("statefulset.kubernetes.io/pod-name"); // a per-pod Service: the pod's own name
            assertMatches(podLabels, selector, "Service " + name(s));
            for (Map<String, Object> p : list(spec, "ports")) {
                rtmpBalancer |= "LoadBalancer".equals(spec.get("type")) && Integer.valueOf(1935).equals(p.get("port"))
                        && "TCP".equals(p.get("protocol"));
                api |= Integer.valueOf(8080).equals(p.get("port"));
            }
        }
        assertTrue(rtmpBalancer, "RTMP through a TCP LoadBalancer");
        assertTrue(api, "a Service for the API");

        // The ConfigMap the pod mounts holds a gateway.yaml the gateway accepts, with the pod's environment.
        Map<String, Object> configMap = only(objects, "ConfigMap");
        String configName = (String) list(pod, "volumes").stream().filter(v -> v.containsKey("configMap"))
                .map(v -> map(v, "configMap").get("name")).findFirst().orElseThrow();
        assertEquals(name(configMap), configName, "the pod mounts the generated ConfigMap");
        Map<String, Object> secret = only(objects, "Secret");
        assertEquals(name(secret), map(list(container, "envFrom").getFirst(), "secretRef").get("name"));
        Map<String, String> env = new HashMap<>();
        map(secret, "stringData").forEach((k, v) -> env.put(k, (String) v));
        int replicas = ((Number) map(workload, "spec").get("replicas")).intValue();
        env.put("POD_NAME", name(workload) + "-" + (replicas - 1));
        GatewayConfig config = ConfigLoader.parse((String) map(configMap, "data").get("gateway.yaml"),
                dir + "/gateway.yaml", env);
        assertEquals(preStopS + config.server().shutdownGrace().toSeconds() + 5,
                ((Number) pod.get("terminationGracePeriodSeconds")).longValue(),
                "terminationGracePeriodSeconds = preStop + server.shutdownGrace (of the pod's gateway.yaml) + 5 s");
        assertEquals(1935, config.server().listen().port());
        assertEquals(8080, config.api().orElseThrow().listen().port(), "the API on the probed port");
        assertEquals(Optional.of(Path.of("/opt/loomcast/natives")), config.transcode().nativeCacheDir(),
                "the natives the image extracted");

        if (dir.endsWith("restream")) {
            assertEquals(replicas, config.cluster().orElseThrow().replicas(), "cluster.replicas = the StatefulSet's");
            assertEquals(replicas - 1, config.cluster().orElseThrow().ordinal(), "the ordinal from POD_NAME");
            int owned = 0;
            for (int i = 0; i < replicas; i++) {
                owned += new Shard(i, replicas).ownedRoutes(config).size();
            }
            assertEquals(Shard.shardedRoutes(config).size(), owned, "the replicas split the restream routes");
            assertTrue(list(container, "env").stream().anyMatch(e -> "POD_NAME".equals(e.get("name"))
                    && "metadata.name".equals(map(map(e, "valueFrom"), "fieldRef").get("fieldPath"))));
        }
        if (dir.endsWith("edge")) {
            assertEdgesPullFromTheOriginPods(config);
        }
    }

    /** The edge's upstreams are the origin overlay's pods, by their StatefulSet DNS names, in ordinal order. */
    private static void assertEdgesPullFromTheOriginPods(GatewayConfig edge) throws Exception {
        List<Map<String, Object>> origin = render("overlays/origin");
        Map<String, Object> sts = only(origin, "StatefulSet");
        String service = (String) map(sts, "spec").get("serviceName");
        assertTrue(all(origin, "Service").stream().anyMatch(s -> name(s).equals(service)
                && "None".equals(map(s, "spec").get("clusterIP"))), "the origin's headless Service " + service);
        RouteConfig live = edge.routes().stream().filter(RouteConfig::isWildcard).findFirst().orElseThrow();
        List<String> urls = live.pull().orElseThrow().urlsFor(StreamName.parse("live/x"));
        for (int i = 0; i < urls.size(); i++) {
            assertTrue(urls.get(i).startsWith("rtmp://%s-%d.%s:1935/".formatted(name(sts), i, service)), urls.get(i));
        }
        assertEquals(((Number) map(sts, "spec").get("replicas")).intValue(), urls.size(), "one upstream per origin pod");
    }

    @Test
    void theBenchIsAnIndexedJobWhoseIndexIsTheShard() throws Exception {
        Map<String, Object> job = only(render("bench"), "Job");
        Map<String, Object> spec = map(job, "spec");
        assertEquals("Indexed", spec.get("completionMode"));
        Map<String, Object> container = list(map(map(spec, "template"), "spec"), "containers").getFirst();
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : list(container, "env")) {
            if (e.containsKey("value")) {
                env.put((String) e.get("name"), (String) e.get("value"));
            } else {
                assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                        map(map(e, "valueFrom"), "fieldRef").get("fieldPath"), "SHARD_INDEX is the completion index");
            }
        }
        int shards = Integer.parseInt(env.get("BENCH_SHARDS"));
        assertEquals(shards, ((Number) spec.get("completions")).intValue());
        assertEquals(shards, ((Number) spec.get("parallelism")).intValue());
        String script = String.join(" ", ((List<?>) container.get("args")).stream().map(Object::toString).toList());
        assertTrue(script.contains("--shard \"$SHARD_INDEX/$BENCH_SHARDS\""), script);
        assertTrue(script.contains("--report /reports/shard.json"), script);
    }

    /** {@code kubectl kustomize deploy/k8s/DIR}, parsed; once per directory. */
    private static List<Map<String, Object>> render(String dir) throws Exception {
        List<Map<String, Object>> cached = RENDERED.get(dir);
        if (cached != null) {
            return copy(cached);
        }
        if (!Files.isExecutable(KUBECTL)) {
            fail(KUBECTL + " missing: bin/test installs Debian's kubernetes-client (kubectl 1.20) there");
        }
        Process p = new ProcessBuilder(KUBECTL.toString(), "kustomize", REPO.resolve("deploy/k8s").resolve(dir)
                .toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize finished");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ":\n" + err);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(out)) {
            if (doc != null) {
                objects.add(asMap(doc));
            }
        }
        RENDERED.put(dir, objects);
        return copy(objects);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> copy(List<Map<String, Object>> objects) throws IOException {
        return JSON.readValue(JSON.writeValueAsBytes(objects), List.class);
    }

    private static void assertMatches(Map<String, Object> labels, Object selector, String what) {
        assertNotNull(selector, what + " has a selector");
        asMap(selector).forEach((k, v) -> assertEquals(v, labels.get(k), what + " selects " + k + "=" + v
                + " but the pods have " + labels));
    }

    private static String probePath(Map<String, Object> container, String probe) {
        Map<String, Object> get = map(map(container, probe), "httpGet");
        assertEquals("api", get.get("port"), probe + " on the API port");
        return (String) get.get("path");
    }

    private static Map<String, Object> only(List<Map<String, Object>> objects, String kind) {
        List<Map<String, Object>> found = all(objects, kind);
        assertEquals(1, found.size(), "one " + kind);
        return found.getFirst();
    }

    private static List<Map<String, Object>> all(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static String name(Map<String, Object> object) {
        return (String) map(object, "metadata").get("name");
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        return v == null ? null : asMap(v);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
