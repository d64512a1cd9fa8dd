package io.loomcast.gateway.protocol.handshake;

/**
 * The four version bytes at offset 4 of C1/S1, e.g. Flash Player 9.0.124.2. RTMP 5.2.3 calls this field
 * "zero"; Flash-style peers put their version there, and all zeros marks a peer that does not use digests.
 */
public record SoftwareVersion(int major, int minor, int build, int revision) {
    /** All four bytes zero: the spec's simple handshake. */
    public static final SoftwareVersion NONE = new SoftwareVersion(0, 0, 0, 0);

    public SoftwareVersion {
        for (int part : new int[] {major, minor, build, revision}) {
            if (part < 0 || part > 0xFF) {
                throw new IllegalArgumentException("version part %d is not one byte".formatted(part));
            }
        }
    }

    static SoftwareVersion read(byte[] packet, int offset) {
        return new SoftwareVersion(packet[offset] & 0xFF, packet[offset + 1] & 0xFF,
                packet[offset + 2] & 0xFF, packet[offset + 3] & 0xFF);
    }

    void write(byte[] packet, int offset) {
        packet[offset] = (byte) major;
        packet[offset + 1] = (byte) minor;
        packet[offset + 2] = (byte) build;
        packet[offset + 3] = (byte) revision;
    }

    /** True for the all-zero field of a simple-handshake peer. */
    public boolean isNone() {
        return equals(NONE);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + build + "." + revision;
    }
}
