package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.message.MessageTypes;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaFileTest {
    @Test
    void readsTheTestMedia() throws Exception {
        MediaFile m = MediaFile.load(TestMedia.shortFlv());
        // 2 s of media: the last tag (AAC runs a little past the video) plus one frame interval.
        assertEquals(2000, m.loopMs(), 100);
        assertTrue(m.stampable(), "x264 writes 4-byte NAL lengths");
        double fileKbps = Files.size(TestMedia.shortFlv()) * 8.0 / m.loopMs();
        assertEquals(fileKbps, m.bitrateKbps(), 0.1 * fileKbps, "payload rate close to the file's");
        List<MediaFile.Tag> tags = m.tags();
        assertEquals(MessageTypes.DATA_AMF0, tags.getFirst().typeId(), "onMetaData first, as @setDataFrame");
        assertTrue(tags.getFirst().config());
        assertEquals(50, tags.stream().filter(MediaFile.Tag::videoFrame).count(), "50 coded frames");
        assertEquals(1, tags.stream().filter(t -> t.typeId() == MessageTypes.VIDEO && t.config()).count(),
                "one video sequence header");
        for (int i = 1; i < tags.size(); i++) {
            assertTrue(tags.get(i).relativeMs() >= 0);
        }
    }
}
