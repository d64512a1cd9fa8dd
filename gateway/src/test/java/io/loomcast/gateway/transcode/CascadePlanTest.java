package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.config.Bitrate;
import io.loomcast.gateway.config.VideoProfile;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which rendition scales from which: sizes that fit, frame rates, equal sizes, and the source's own size. */
class CascadePlanTest {

    @Test
    void theSmallerIsScaledFromTheSmallestLargerOne() {
        // 1080p source: 360p from 720p (not from 900p, which is larger), 720p and 900p from the source.
        CascadePlan plan = CascadePlan.of(List.of(v(1600, 900), v(1280, 720), v(640, 360)), 1920, 1080);
        assertArrayEquals(new int[] {-1, 0, 1}, plan.parents(), "720p from 900p, 360p from 720p: " + plan);
        assertEquals("720p from 900p, 360p from 720p", plan.describe(List.of("900p", "720p", "360p")));
    }

    @Test
    void aRenditionOfTheSourceSizeFeedsNobody() {
        // 720p source: the 720p rendition encodes the decoded picture itself; 360p scales the source as before.
        CascadePlan plan = CascadePlan.of(List.of(v(1280, 720), v(640, 360)), 1280, 720);
        assertArrayEquals(new int[] {-1, -1}, plan.parents());
        assertEquals(false, plan.cascades());
    }

    @Test
    void sizesFollowTheSourceAspectRatio() {
        // Height-only profiles of a 4:3 source: 960x720 and 480x360; the second fits inside the first.
        VideoProfile h720 = profile(OptionalInt.empty(), OptionalInt.of(720), OptionalInt.empty(), VideoProfile.Scaler.BICUBIC);
        VideoProfile h360 = profile(OptionalInt.empty(), OptionalInt.of(360), OptionalInt.empty(), VideoProfile.Scaler.BICUBIC);
        assertArrayEquals(new int[] {-1, 0}, CascadePlan.of(List.of(h720, h360), 1440, 1080).parents());
        // A wider but lower rendition does not contain a narrower, higher one.
        assertArrayEquals(new int[] {-1, -1}, CascadePlan.of(List.of(v(1280, 360), v(640, 480)), 1920, 1080).parents());
    }

    @Test
    void aBilinearRenditionFeedsNobody() {
        VideoProfile bilinear = profile(OptionalInt.of(1280), OptionalInt.of(720), OptionalInt.empty(), VideoProfile.Scaler.BILINEAR);
        VideoProfile area = profile(OptionalInt.of(1280), OptionalInt.of(720), OptionalInt.empty(), VideoProfile.Scaler.AREA);
        assertArrayEquals(new int[] {-1, -1}, CascadePlan.of(List.of(bilinear, v(640, 360)), 1920, 1080).parents(),
                "bilinear twice is much softer than once");
        assertArrayEquals(new int[] {-1, 0}, CascadePlan.of(List.of(area, v(640, 360)), 1920, 1080).parents());
    }

    @Test
    void aParentMustKeepEveryPictureTheChildKeeps() {
        VideoProfile at15 = profile(OptionalInt.of(1280), OptionalInt.of(720), OptionalInt.of(15), VideoProfile.Scaler.BICUBIC);
        VideoProfile at30 = profile(OptionalInt.of(640), OptionalInt.of(360), OptionalInt.of(30), VideoProfile.Scaler.BICUBIC);
        VideoProfile any = v(640, 360);
        assertArrayEquals(new int[] {-1, -1}, CascadePlan.of(List.of(at15, at30), 1920, 1080).parents(),
                "a 15 fps rendition skips pictures a 30 fps one needs");
        assertArrayEquals(new int[] {-1, -1}, CascadePlan.of(List.of(at15, any), 1920, 1080).parents(),
                "a rendition at the source rate needs every picture");
        VideoProfile at30big = profile(OptionalInt.of(1280), OptionalInt.of(720), OptionalInt.of(30), VideoProfile.Scaler.BICUBIC);
        VideoProfile at15small = profile(OptionalInt.of(640), OptionalInt.of(360), OptionalInt.of(15), VideoProfile.Scaler.BICUBIC);
        assertArrayEquals(new int[] {-1, 0}, CascadePlan.of(List.of(at30big, at15small), 1920, 1080).parents());
        assertArrayEquals(new int[] {-1, 0}, CascadePlan.of(List.of(v(1280, 720), at15small), 1920, 1080).parents());
    }

    @Test
    void equalSizesShareThePictureWhenTheyScaleAlike() {
        VideoProfile area = profile(OptionalInt.of(640), OptionalInt.of(360), OptionalInt.empty(), VideoProfile.Scaler.AREA);
        // Two 360p renditions at different bitrates: the second encodes the first one's picture as it is.
        assertArrayEquals(new int[] {-1, 0}, CascadePlan.of(List.of(v(640, 360), v(640, 360)), 1920, 1080).parents());
        // ... but not one drawn with another filter.
        assertArrayEquals(new int[] {-1, -1}, CascadePlan.of(List.of(v(640, 360), area), 1920, 1080).parents());
        // Three of one size: both later ones from the first (no cycle), a smaller one from the first too.
        assertArrayEquals(new int[] {-1, 0, 0, 0},
                CascadePlan.of(List.of(v(640, 360), v(640, 360), v(640, 360), v(320, 180)), 1920, 1080).parents());
    }

    private static VideoProfile v(int width, int height) {
        return profile(OptionalInt.of(width), OptionalInt.of(height), OptionalInt.empty(), VideoProfile.DEFAULT_SCALER);
    }

    private static VideoProfile profile(OptionalInt width, OptionalInt height, OptionalInt fps, VideoProfile.Scaler scaler) {
        return new VideoProfile(width, height, fps, new Bitrate(1_000_000), new Bitrate(1_000_000), VideoProfile.DEFAULT_GOP,
                VideoProfile.Preset.VERYFAST, VideoProfile.H264Profile.HIGH, VideoProfile.Encoder.AUTO, 0, scaler);
    }
}
