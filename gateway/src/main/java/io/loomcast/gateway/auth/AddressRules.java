package io.loomcast.gateway.auth;

import io.loomcast.gateway.config.Cidr;
import java.net.InetAddress;
import java.util.List;

/**
 * {@code auth.allow} and {@code auth.deny}: which peers may connect at all, judged at accept before any byte is
 * read. Deny wins over allow; an empty allow list allows every address not denied.
 */
public record AddressRules(List<Cidr> allow, List<Cidr> deny) {
    /** Everyone. */
    public static final AddressRules OPEN = new AddressRules(List.of(), List.of());

    public AddressRules {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean admits(InetAddress peer) {
        for (Cidr d : deny) {
            if (d.contains(peer)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (Cidr a : allow) {
            if (a.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
