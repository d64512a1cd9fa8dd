package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small LAN of network namespaces made for one test and removed after it: a switch namespace holding a
 * bridge, one namespace per host with a veth into the bridge and its own address, and a veth from the test's own
 * namespace so the test (players, publishers) reaches every host. Addresses come from 198.18.0.0/15, the block
 * RFC 2544 sets aside for benchmarking, in a /24 picked at random per lab; they exist only inside these
 * namespaces. Needs root (as CI and the developers' machines have).
 */
public final class NetLab implements AutoCloseable {
    private static final long COMMAND_SECONDS = 20;

    private final String prefix;
    private final String subnet;
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();

    private NetLab(String prefix, String subnet) {
        this.prefix = prefix;
        this.subnet = subnet;
    }

    /** A lab with {@code hosts}, each in its own namespace, addressed .10, .11, ... in host order. */
    public static NetLab create(String... hosts) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String prefix = "lc%05x".formatted(random.nextInt(1 << 20));
        NetLab lab = new NetLab(prefix, "198.%d.%d".formatted(18 + random.nextInt(2), random.nextInt(256)));
        try {
            lab.build(hosts);
            return lab;
        } catch (IOException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void build(String[] hosts) throws IOException {
        String sw = prefix + "sw";
        run("ip", "netns", "add", sw);
        created.add(sw);
        run("ip", "-n", sw, "link", "set", "lo", "up");
        run("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", sw, "link", "set", "br0", "up");
        // The test's own end: an address in the root namespace, on a veth whose peer is a bridge port.
        String rootIf = prefix + "t";
        run("ip", "link", "add", rootIf, "type", "veth", "peer", "name", "up0", "netns", sw);
        run("ip", "-n", sw, "link", "set", "up0", "master", "br0", "up");
        run("ip", "addr", "add", subnet + ".1/24", "dev", rootIf);
        run("ip", "link", "set", rootIf, "up");
        addresses.put("test", subnet + ".1");
        for (int i = 0; i < hosts.length; i++) {
            String ns = prefix + "h" + i;
            run("ip", "netns", "add", ns);
            created.add(ns);
            String port = "p" + i;
            run("ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
            String address = subnet + "." + (10 + i);
            run("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            namespaces.put(hosts[i], ns);
            addresses.put(hosts[i], address);
        }
    }

    /** The host's address; {@code test} is the test's own. */
    public String address(String host) {
        String a = addresses.get(host);
        if (a == null) {
            fail("no host " + host + " in " + addresses);
        }
        return a;
    }

    /** The first three octets, e.g. {@code 198.18.7}: host N of the hosts is {@code subnet.(10 + N)}. */
    public String subnet() {
        return subnet;
    }

    /** {@code command} run inside {@code host}'s namespace ({@code ip netns exec} execs it: same process). */
    public List<String> inside(String host, List<String> command) {
        List<String> all = new ArrayList<>(List.of(ExternalPeer.require("ip").toString(), "netns", "exec",
                namespaces.get(host)));
        all.addAll(command);
        return all;
    }

    /** Runs {@code command} inside {@code host} to its end and returns what it printed. */
    public String runInside(String host, String... command) throws IOException {
        return run(inside(host, List.of(command)).toArray(String[]::new));
    }

    private static String run(String... command) throws IOException {
        if (command[0].equals("ip")) {
            command[0] = ExternalPeer.require("ip").toString();
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer in " + COMMAND_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    /** Removes every namespace (their veths go with them, the test's own end included). */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (String ns : created.reversed()) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            fail("could not remove the lab's namespaces: " + problems);
        }
    }

    @Override
    public String toString() {
        return "lab " + prefix + " " + addresses;
    }
}
