package io.osprey.query.log;

import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Words lower-cased, and those of scripts other than Latin searched as people type them. A word is composed (NFC),
 * so that {@code résumé} sent decomposed (as macOS often sends it: {@code e} and a combining accent) is the word typed
 * composed. Text of scripts written without spaces (Chinese, Japanese, Korean) is split into overlapping pairs of
 * characters, as Lucene's CJK analysis does, so that {@code ログ} finds {@code 日本語のログ} and {@code 日本語} is the
 * phrase {@code 日本 本語}. A word all below U+0300 (Latin letters, digits) is only lower-cased, in the one pass that
 * looks at its characters, which costs no more than Lucene's LowerCaseFilter did alone.
 */
final class UnicodeWordFilter extends TokenFilter {

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final Deque<String> pieces = new ArrayDeque<>();
    private State wordState;

    UnicodeWordFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!pieces.isEmpty()) {
            restoreState(wordState);
            term.setEmpty().append(pieces.poll());
            increment.setPositionIncrement(1);
            return true;
        }
        if (!input.incrementToken()) {
            return false;
        }
        if (lowerCasedPlain(term.buffer(), term.length())) {
            return true;
        }
        split(Normalizer.normalize(term, Normalizer.Form.NFC));
        wordState = captureState();
        term.setEmpty().append(pieces.poll());
        return true;
    }

    /**
     * Lower-cases the word in place, in one pass with the look at its characters: true when it is all below U+0300
     * (a char there is a whole code point whose lower case is one char too), false when the rest needed Lucene's
     * lower-casing of code points.
     */
    private static boolean lowerCasedPlain(char[] chars, int length) {
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c >= '\u0300') {
                CharacterUtils.toLowerCase(chars, i, length);
                return false;
            }
            if (c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c + ('a' - 'A'));
            } else if (c >= '\u00C0') {
                chars[i] = (char) Character.toLowerCase((int) c);
            }
        }
        return true;
    }

    /** Runs of characters written without spaces become pairs (a single one stays); the rest stays whole. */
    private void split(String word) {
        int i = 0;
        while (i < word.length()) {
            int start = i;
            boolean paired = writtenWithoutSpaces(word.codePointAt(i));
            while (i < word.length() && writtenWithoutSpaces(word.codePointAt(i)) == paired) {
                i += Character.charCount(word.codePointAt(i));
            }
            if (!paired) {
                pieces.add(word.substring(start, i));
                continue;
            }
            int first = start;
            int second = first + Character.charCount(word.codePointAt(first));
            if (second >= i) {
                pieces.add(word.substring(first, i));
                continue;
            }
            while (second < i) {
                int end = second + Character.charCount(word.codePointAt(second));
                pieces.add(word.substring(first, end));
                first = second;
                second = end;
            }
        }
    }

    private static boolean writtenWithoutSpaces(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        pieces.clear();
        wordState = null;
    }
}
