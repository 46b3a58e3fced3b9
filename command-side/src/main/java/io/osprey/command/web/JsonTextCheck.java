package io.osprey.command.web;

import java.io.CharConversionException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks, as a JSON body streams in, that its text is what RFC 8259 asks of JSON exchanged between systems:
 * well-formed UTF-8 (RFC 3629: no overlong forms, no encoded surrogates, nothing past U+10FFFF) whose
 * {@code \}{@code u} escapes of UTF-16 surrogates come in pairs. Jackson decodes overlong forms (a {@code C0 AF}
 * became a {@code /}) and keeps a lone surrogate escape, which became a {@code ?} when stored: a line or a value
 * would be stored other than it was sent. A body in UTF-16 or UTF-32 (a zero or a byte-order mark in its first two
 * bytes) is refused: Jackson reads those too, but replaced a raw lone surrogate in one, and the rest of its string
 * with it.
 */
public final class JsonTextCheck {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    /** Bytes checked before the current piece. */
    private long checked;
    private int firstByte = -1;
    private boolean wideEncoding;
    /** Continuation bytes still expected, and the range of the next one. */
    private int continuation;
    private int low = 0x80;
    private int high = 0xBF;
    /** 0: no escape; 1: after a backslash; 2 to 5: reading the hex digits of a {@code \}{@code u} escape. */
    private int escape;
    private int unit;
    /** After a high surrogate escape: 1 expects its low one's backslash, 2 its 'u', 3 its digits being read. */
    private int lowSurrogate;

    void check(byte[] bytes, int from, int length) throws CharConversionException {
        if (checked < 2) {
            if (!detectEncoding(bytes, from, from + length)) {
                checked += length; // one byte so far: it is checked with the next piece, once the encoding is known
                return;
            }
            if (wideEncoding) {
                throw new MalformedJsonTextException("the body is UTF-16 or UTF-32; JSON must be sent as UTF-8 (RFC 8259)");
            }
            if (checked == 1) {
                checked = 0;
                scan(new byte[]{(byte) firstByte}, 0, 1);
            }
        }
        scan(bytes, from, length);
    }

    private void scan(byte[] bytes, int from, int length) throws CharConversionException {
        int end = from + length;
        int i = from;
        while (i < end) {
            if (continuation == 0 && escape == 0 && lowSurrogate == 0) {
                // plain ASCII without a backslash, eight bytes at a time: almost all of a log batch
                while (i + Long.BYTES <= end) {
                    long word = (long) WORDS.get(bytes, i);
                    long backslashes = word ^ BACKSLASHES;
                    if (((word | (backslashes - ONES) & ~backslashes) & HIGH_BITS) != 0) {
                        break;
                    }
                    i += Long.BYTES;
                }
                if (i == end) {
                    break;
                }
            }
            int b = bytes[i] & 0xFF;
            if (continuation > 0) {
                if (b < low || b > high) {
                    throw notUtf8(i - from);
                }
                low = 0x80;
                high = 0xBF;
                continuation--;
            } else if (b >= 0x80) {
                if (lowSurrogate != 0) {
                    throw loneSurrogate(i - from);
                }
                lead(b, i - from);
            } else {
                ascii(b, i - from);
            }
            i++;
        }
        checked += length;
    }

    /** At the end of the body: nothing may be left half-way. */
    void end() throws CharConversionException {
        if (checked == 1) {
            checked = 0;
            scan(new byte[]{(byte) firstByte}, 0, 1); // a body of one byte
        }
        if (continuation > 0) {
            throw notUtf8(0);
        }
        if (lowSurrogate != 0) {
            throw loneSurrogate(0);
        }
    }

    /**
     * Looks at the first two bytes, which are checked as UTF-8 too unless they show another encoding (refused);
     * returns whether both have been seen.
     */
    private boolean detectEncoding(byte[] bytes, int from, int end) {
        int i = from;
        for (; checked + (i - from) < 2 && i < end; i++) {
            int b = bytes[i] & 0xFF;
            if (firstByte < 0) {
                firstByte = b;
                wideEncoding = b == 0;
            } else {
                wideEncoding |= b == 0 || firstByte == 0xFE && b == 0xFF || firstByte == 0xFF && b == 0xFE;
            }
        }
        return checked + (i - from) >= 2;
    }

    private void lead(int b, long at) throws CharConversionException {
        if (b >= 0xC2 && b <= 0xDF) {
            continuation = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            continuation = 2;
            low = b == 0xE0 ? 0xA0 : 0x80; // no overlong forms
            high = b == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            continuation = 3;
            low = b == 0xF0 ? 0x90 : 0x80;
            high = b == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
        } else {
            throw notUtf8(at);
        }
    }

    private void ascii(int b, long at) throws CharConversionException {
        if (lowSurrogate == 1 || lowSurrogate == 2) {
            if (b != (lowSurrogate == 1 ? '\\' : 'u')) {
                throw loneSurrogate(at);
            }
            lowSurrogate++;
            if (lowSurrogate == 3) {
                escape = 2;
                unit = 0;
            }
            return;
        }
        if (escape == 0) {
            escape = b == '\\' ? 1 : 0;
        } else if (escape == 1) {
            escape = b == 'u' ? 2 : 0;
            unit = 0;
        } else {
            int digit = Character.digit(b, 16);
            if (digit < 0) {
                escape = 0; // not JSON: Jackson says so
                lowSurrogate = 0;
                return;
            }
            unit = unit << 4 | digit;
            if (++escape == 6) {
                escape = 0;
                escaped(unit, at);
            }
        }
    }

    private void escaped(int codeUnit, long at) throws CharConversionException {
        boolean isHigh = codeUnit >= 0xD800 && codeUnit <= 0xDBFF;
        boolean isLow = codeUnit >= 0xDC00 && codeUnit <= 0xDFFF;
        if (lowSurrogate == 3) {
            if (!isLow) {
                throw loneSurrogate(at);
            }
            lowSurrogate = 0;
        } else if (isHigh) {
            lowSurrogate = 1;
        } else if (isLow) {
            throw loneSurrogate(at);
        }
    }

    private CharConversionException notUtf8(long inPiece) {
        return new MalformedJsonTextException("the body is not well-formed UTF-8 (at byte " + (checked + inPiece) + ")");
    }

    private CharConversionException loneSurrogate(long inPiece) {
        return new MalformedJsonTextException("the body holds a \\u escape of half a UTF-16 surrogate pair "
                + "(at byte " + (checked + inPiece) + "); a character beyond U+FFFF is escaped as a pair, or sent as UTF-8");
    }

    /** The body's text broke a rule above: a 400 naming the body, rule {@code encoding}. */
    public static final class MalformedJsonTextException extends CharConversionException {
        MalformedJsonTextException(String message) {
            super(message);
        }
    }
}
