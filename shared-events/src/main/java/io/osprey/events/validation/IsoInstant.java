package io.osprey.events.validation;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * The one reading of a date-time a request gives, on both sides (a log line's timestamp, a search's or a deletion's
 * bounds, an execution filter's): an ISO-8601 date-time with {@code Z} or an offset, as {@link Instant#parse} reads it
 * (a leap second {@code 23:59:60} is the second before it, {@code 24:00} the next day's start) or, without seconds, as
 * {@link OffsetDateTime#parse} does; a decimal sign needs a digit after it. Whatever a line may be stamped with, a
 * search may be bounded by.
 */
public final class IsoInstant {

    private IsoInstant() {
    }

    /**
     * The instant, null when the text is none. The usual shape, {@code 2026-11-26T10:15:30[.fraction]Z}, is read
     * directly (a log batch has one per line); any other goes through Java's parsers.
     */
    public static Instant parse(String text) {
        int length = text.length();
        if (length >= 20 && length <= 30 && text.charAt(length - 1) == 'Z' && text.charAt(4) == '-'
                && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
                && (length == 20 || (length > 21 && text.charAt(19) == '.'))) {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = digits(text, 11, 2);
            int minute = digits(text, 14, 2);
            int second = digits(text, 17, 2);
            int fraction = length == 20 ? 0 : digits(text, 20, length - 21);
            if ((year | month | day | hour | minute | second | fraction) >= 0 && hour < 24 && minute < 60 && second < 60) {
                try {
                    long epochDay = LocalDate.of(year, month, day).toEpochDay();
                    int nanos = fraction;
                    for (int scale = length - 21; scale < 9; scale++) {
                        nanos *= 10;
                    }
                    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second,
                            length == 20 ? 0 : nanos);
                } catch (DateTimeException invalidDate) {
                    return null;
                }
            }
        }
        int dot = text.indexOf('.');
        if (dot >= 0 && (dot + 1 == length || text.charAt(dot + 1) < '0' || text.charAt(dot + 1) > '9')) {
            return null; // Java reads "10:00:00.Z" as 10:00:00Z; ISO-8601 wants a digit after the decimal sign
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeException noSecondsOrNoInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException notAnInstant) {
                return null;
            }
        }
    }

    /** The decimal number of {@code length} ASCII digits at {@code from}; -1 when one is no digit. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
