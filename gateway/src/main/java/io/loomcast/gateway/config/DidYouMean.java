package io.loomcast.gateway.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The known name closest to a misspelled one, by edit distance ignoring case, if it is close enough to help. */
final class DidYouMean {
    private DidYouMean() {}

    static Optional<String> closest(String input, Collection<String> known) {
        String typed = input.toLowerCase(Locale.ROOT);
        // Allow about one typo per three characters, at least one and at most three.
        int limit = Math.max(1, Math.min(3, typed.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (bestDistance <= limit) {
            return Optional.of(best);
        }
        // A part of a longer name ("nvenc" for h264_nvenc, "x264" for libx264), when only one name contains it.
        List<String> containing = typed.length() < 3 ? List.of() : known.stream()
                .filter(k -> k.toLowerCase(Locale.ROOT).contains(typed)).toList();
        return containing.size() == 1 ? Optional.of(containing.get(0)) : Optional.empty();
    }

    /** A hint for an unknown name: the closest known one, or the whole list when none is close. */
    static String hint(String input, Collection<String> known) {
        return closest(input, known)
                .map(k -> "did you mean '" + k + "'?")
                .orElse(known.isEmpty() ? "" : "known: " + String.join(", ", known));
    }

    /** Optimal string alignment distance: Levenshtein plus swapping two neighbours ("chunkSzie"). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
