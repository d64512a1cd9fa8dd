package io.loomcast.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; an address without a prefix length is
 * a network of that one address. Only literals: a host name here would make the config depend on DNS.
 *
 * @param network    the network address, its host bits zero
 * @param prefixBits 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress network, int prefixBits) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixBits < 0 || prefixBits > bits) {
            throw new IllegalArgumentException("prefix length %d is not 0..%d".formatted(prefixBits, bits));
        }
        if (!masked(network.getAddress(), prefixBits).equals(network)) {
            throw new IllegalArgumentException("host bits set; did you mean %s/%d?"
                    .formatted(masked(network.getAddress(), prefixBits).getHostAddress(), prefixBits));
        }
    }

    /**
     * Parses {@code address[/bits]}.
     *
     * @throws IllegalArgumentException saying what is wrong; for host bits set, naming the network meant
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress ip = literal(address);
        int bits = ip.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("expected a prefix length after '/', e.g. 10.0.0.0/8");
            }
            prefix = Integer.parseInt(p);
        }
        return new Cidr(ip, prefix);
    }

    private static InetAddress literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !IPV6.matcher(text).matches()) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address, e.g. 10.0.0.0/8 or ::1/128");
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: %s is over 255".formatted(part));
                }
            }
        }
        try {
            // A literal: the JDK parses it without asking DNS (the patterns above let no host name through).
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address, e.g. 10.0.0.0/8 or ::1/128");
        }
    }

    /** Whether {@code address} is in this network. An IPv4 address never matches an IPv6 network, nor back. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int whole = prefixBits / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[whole] & mask) == (n[whole] & mask);
    }

    private static InetAddress masked(byte[] address, int prefixBits) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixBits - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always make an address
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixBits;
    }
}
