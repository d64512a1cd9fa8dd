package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.VideoProfile;

/** The picture size a profile encodes a source of a given size at. */
record OutputSize(int width, int height) {

    /**
     * Both dimensions given: exactly those. One given: the other follows the source's aspect ratio. None:
     * the source's size. Results are rounded to even numbers (4:2:0 chroma) and are at least 2.
     */
    static OutputSize of(VideoProfile p, int sourceWidth, int sourceHeight) {
        int w;
        int h;
        if (p.width().isPresent() && p.height().isPresent()) {
            w = p.width().getAsInt();
            h = p.height().getAsInt();
        } else if (p.height().isPresent()) {
            h = p.height().getAsInt();
            w = (int) Math.round((double) h * sourceWidth / sourceHeight);
        } else if (p.width().isPresent()) {
            w = p.width().getAsInt();
            h = (int) Math.round((double) w * sourceHeight / sourceWidth);
        } else {
            w = sourceWidth;
            h = sourceHeight;
        }
        return new OutputSize(even(w), even(h));
    }

    private static int even(int v) {
        return Math.max(2, (v + 1) & ~1);
    }
}
