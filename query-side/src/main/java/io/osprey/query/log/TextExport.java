package io.osprey.query.log;

import io.osprey.events.log.LogLine;

import java.io.IOException;

/**
 * A log line as the plain-text download writes it: {@code timestamp LEVEL [taskId] message}. A message's line breaks
 * continue it on lines indented by a tab, and its other control characters are shown as their Unicode control
 * pictures (U+2400 on), so that every unindented line of the file is one log line: a message cannot end its line
 * and forge the next one ({@code "...\n2026-01-01T00:00:00Z ERROR ..."}), nor hide text behind a carriage return.
 */
final class TextExport {

    private static final char CONTROL_PICTURES = '\u2400';
    private static final char DELETE_PICTURE = '\u2421';

    private TextExport() {
    }

    static void append(Appendable out, LogLine line) throws IOException {
        out.append(line.timestamp().toString()).append(' ').append(line.level().name()).append(' ');
        if (line.taskId() != null) {
            out.append('[').append(line.taskId()).append("] ");
        }
        String message = line.message();
        int plainFrom = 0;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c >= 0x20 && c != 0x7F || c == '\t') {
                continue;
            }
            out.append(message, plainFrom, i);
            if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < message.length() && message.charAt(i + 1) == '\n') {
                    i++;
                }
                out.append("\n\t");
            } else {
                out.append(c == 0x7F ? DELETE_PICTURE : (char) (CONTROL_PICTURES + c));
            }
            plainFrom = i + 1;
        }
        out.append(message, plainFrom, message.length()).append('\n');
    }
}
