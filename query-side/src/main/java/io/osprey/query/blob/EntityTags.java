package io.osprey.query.blob;

/**
 * Lists of entity tags as {@code If-Match} and {@code If-None-Match} carry them ({@code "a", W/"b"} or {@code *}),
 * compared with a file's tag as RFC 9110 8.8.3.2 compares them: strongly (neither weak) or weakly (the opaque parts).
 */
final class EntityTags {

    private EntityTags() {
    }

    /** Whether the header names this tag (or is {@code *}); a null tag matches only {@code *}. */
    static boolean anyMatches(String header, String tag, boolean weakComparison) {
        String list = header.trim();
        if (list.equals("*")) {
            return true;
        }
        if (tag == null) {
            return false;
        }
        int i = 0;
        while (i < list.length()) {
            char c = list.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean weak = list.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            if (open >= list.length() || list.charAt(open) != '"') {
                return false; // not a list of entity tags: it names none of ours
            }
            int close = list.indexOf('"', open + 1);
            if (close < 0) {
                return false;
            }
            String candidate = list.substring(open, close + 1);
            if (candidate.equals(tag) && (weakComparison || !weak)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }
}
