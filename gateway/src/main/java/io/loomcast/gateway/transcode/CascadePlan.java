package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.VideoProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which rendition of a source scales its pictures from which (cascade scaling): a rendition whose size fits
 * inside a larger one's is scaled from that one's already scaled picture, not from the decoded source. For a
 * 1080p source with 720p and 360p renditions, 360p is scaled from the 720p picture, a third of the pixels of
 * the source to read.
 *
 * <p>A rendition takes as its parent the smallest other rendition that
 * <ul>
 *   <li>scales the source at all (a parent of the source's size would hand on the source itself);</li>
 *   <li>does not scale bilinear: bilinear twice (1080p to 720p to 360p) measured 3.2 dB PSNR below bilinear
 *       once on the benchmark clip, where bicubic twice is 0.2 dB below bicubic once and area twice equal to
 *       area once;</li>
 *   <li>is at least as wide and as high as it;</li>
 *   <li>keeps every picture it keeps: the parent has no frame rate limit, or one at least as high as the
 *       child's (a picture the parent skips is scaled by the child from the source, so this only avoids
 *       switching between the two paths every other picture);</li>
 *   <li>and, when both have the same size, uses the same scaler and comes first: the child then encodes the
 *       parent's picture as it is, which is what it would have drawn itself.</li>
 * </ul>
 * Ties go to the rendition added first. Parents are strictly larger, or equal and earlier, so there is no cycle.
 *
 * @param parents for each rendition, by index, its parent's index, or -1 to scale from the source
 */
record CascadePlan(int[] parents) {
    static final CascadePlan NONE = new CascadePlan(new int[0]);

    /** The plan for renditions with {@code profiles}, in the order they were added, of a source this size. */
    static CascadePlan of(List<VideoProfile> profiles, int sourceWidth, int sourceHeight) {
        int n = profiles.size();
        OutputSize[] sizes = new OutputSize[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = OutputSize.of(profiles.get(i), sourceWidth, sourceHeight);
        }
        int[] parents = new int[n];
        Arrays.fill(parents, -1);
        for (int c = 0; c < n; c++) {
            long best = Long.MAX_VALUE;
            for (int p = 0; p < n; p++) {
                if (p != c && canFeed(profiles.get(p), sizes[p], p, profiles.get(c), sizes[c], c, sourceWidth,
                        sourceHeight)) {
                    long area = (long) sizes[p].width() * sizes[p].height();
                    if (area < best) {
                        best = area;
                        parents[c] = p;
                    }
                }
            }
        }
        return new CascadePlan(parents);
    }

    private static boolean canFeed(VideoProfile parent, OutputSize ps, int p, VideoProfile child, OutputSize cs,
            int c, int sourceWidth, int sourceHeight) {
        if (ps.width() == sourceWidth && ps.height() == sourceHeight || parent.scaler() == VideoProfile.Scaler.BILINEAR) {
            return false;
        }
        if (ps.width() < cs.width() || ps.height() < cs.height()) {
            return false;
        }
        if (ps.equals(cs) && (parent.scaler() != child.scaler() || p > c)) {
            return false;
        }
        return parent.fps().isEmpty()
                || (child.fps().isPresent() && parent.fps().getAsInt() >= child.fps().getAsInt());
    }

    /** The parent of rendition {@code i}, or -1. */
    int parentOf(int i) {
        return i < parents.length ? parents[i] : -1;
    }

    boolean cascades() {
        return Arrays.stream(parents).anyMatch(p -> p >= 0);
    }

    /** "360p from 720p, 240p from 360p", with the renditions' names. */
    String describe(List<String> names) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < parents.length; i++) {
            if (parents[i] >= 0) {
                parts.add(names.get(i) + " from " + names.get(parents[i]));
            }
        }
        return String.join(", ", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CascadePlan other && Arrays.equals(parents, other.parents);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parents);
    }

    @Override
    public String toString() {
        return "CascadePlan" + Arrays.toString(parents);
    }
}
