package io.loomcast.gateway.testing;

import io.loomcast.gateway.hub.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The audio and video tags of an FLV file a real player wrote (FLV 10.1 E.2, E.3). A file cut short by a
 * killed player ends at its last whole tag. Timestamps are the 24-bit field plus the extension byte.
 */
public final class FlvRecording {
    private FlvRecording() {}

    /** Every audio and video tag in file order; script data tags are skipped. */
    public static List<MediaFrame> read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length < 13 || b[0] != 'F' || b[1] != 'L' || b[2] != 'V') {
            throw new IOException(file + " is not an FLV file (" + b.length + " bytes)");
        }
        int pos = u32(b, 5) + 4; // DataOffset, then PreviousTagSize0
        List<MediaFrame> frames = new ArrayList<>();
        while (pos + 11 <= b.length) {
            int type = b[pos] & 0x1F;
            int size = u24(b, pos + 1);
            if (pos + 11 + size > b.length) {
                break;
            }
            long timestamp = (u24(b, pos + 4) | (b[pos + 7] & 0xFF) << 24) & 0xFFFF_FFFFL;
            byte[] body = new byte[size];
            System.arraycopy(b, pos + 11, body, 0, size);
            switch (type) {
                case 8 -> frames.add(MediaFrame.of(Frame.Kind.AUDIO, timestamp, body, 0));
                case 9 -> frames.add(MediaFrame.of(Frame.Kind.VIDEO, timestamp, body, 0));
                default -> { }
            }
            pos += 11 + size + 4;
        }
        return frames;
    }

    private static int u24(byte[] b, int p) {
        return (b[p] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF);
    }

    private static int u32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | u24(b, p + 1);
    }
}
