package io.loomcast.gateway.cli;

/** Entry point of {@code bin/gateway}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("loomcast");
    }
}
