package io.loomcast.gateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-side reader for the captured {@code .flv} vectors (FLV 10.1 E.2 header, E.3 body). It trusts its
 * input: the files are ours, and the code under test is the tag body parser, not this.
 */
final class FlvFile {
    /** One FLV tag: 8 audio, 9 video, 18 script data. */
    record Tag(int type, int timestampMs, byte[] body) {}

    private FlvFile() {}

    static List<Tag> read(String resource) {
        byte[] b = resource(resource);
        if (b[0] != 'F' || b[1] != 'L' || b[2] != 'V') {
            throw new IllegalArgumentException(resource + " is not an FLV file");
        }
        int pos = u32(b, 5) + 4; // DataOffset, then PreviousTagSize0
        List<Tag> tags = new ArrayList<>();
        while (pos + 11 <= b.length) {
            int type = b[pos] & 0x1F;
            int size = u24(b, pos + 1);
            int timestamp = u24(b, pos + 4) | (b[pos + 7] & 0xFF) << 24;
            byte[] body = new byte[size];
            System.arraycopy(b, pos + 11, body, 0, size);
            tags.add(new Tag(type, timestamp, body));
            pos += 11 + size + 4;
        }
        return tags;
    }

    static List<byte[]> bodies(String resource, int type) {
        return read(resource).stream().filter(t -> t.type() == type).map(Tag::body).toList();
    }

    static byte[] resource(String name) {
        try (InputStream in = FlvFile.class.getResourceAsStream("/vectors/media/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource vectors/media/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int u24(byte[] b, int p) {
        return (b[p] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF);
    }

    private static int u32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | u24(b, p + 1);
    }
}
