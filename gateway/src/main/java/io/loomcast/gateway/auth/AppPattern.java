package io.loomcast.gateway.auth;

import java.util.regex.Pattern;

/**
 * An app name with {@code *} standing for any run of characters: {@code live}, {@code live-*}, {@code *}.
 * Matching is exact and case-sensitive, as stream names are.
 */
public final class AppPattern {
    private final String text;
    private final Pattern regex;

    public AppPattern(String text) {
        this.text = text;
        StringBuilder re = new StringBuilder();
        String[] parts = text.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        this.regex = Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    public boolean matches(String app) {
        return regex.matcher(app).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
