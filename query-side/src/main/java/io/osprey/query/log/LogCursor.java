package io.osprey.query.log;

import org.apache.lucene.search.FieldDoc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of search results ended: the last line's timestamp and sequence, in the sort order of the
 * search. The next page starts strictly after it, however deep, at the cost of the first page.
 */
record LogCursor(boolean newestFirst, long timestampMicros, long seq) {

    static LogCursor after(boolean newestFirst, FieldDoc last) {
        return new LogCursor(newestFirst, (Long) last.fields[0], (Long) last.fields[1]);
    }

    /** Null when the text is not a cursor this service wrote. */
    static LogCursor parse(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !(parts[0].equals("d") || parts[0].equals("a"))) {
                return null;
            }
            return new LogCursor(parts[0].equals("d"), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    String encode() {
        String text = (newestFirst ? "d" : "a") + ":" + timestampMicros + ":" + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The last line's timestamp: the next page lies at or before it (newest first) or at or after it. */
    Instant timestamp() {
        return Instant.ofEpochSecond(Math.floorDiv(timestampMicros, 1_000_000L),
                Math.floorMod(timestampMicros, 1_000_000L) * 1000L);
    }

    FieldDoc fieldDoc() {
        return LogFields.strictlyAfter(new Object[]{timestampMicros, seq});
    }
}
