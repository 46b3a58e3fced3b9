package io.osprey.query.log;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Log messages split into runs of letters, digits and the marks that belong to letters, lower-cased, nothing
 * dropped: no stop words, no stemming. Identifiers, paths, URLs, error codes and numbers stay findable because a
 * query word is split the same way and searched as a phrase of its parts: {@code java.lang.NullPointerException} is
 * the phrase {@code java lang nullpointerexception}, {@code s3://bucket/key} is {@code s3 bucket key},
 * {@code row_count=1234} is {@code row count 1234}, and each part alone matches too. Words of other scripts are
 * composed, and text written without spaces is split into pairs ({@link UnicodeWordFilter}).
 */
public final class LogAnalyzer extends Analyzer {

    /**
     * Which analysis an index was built with, kept in its checkpoint: an index of another is rebuilt from the event
     * store, as its terms would not be the ones searched for. 2: marks in words, composed words, CJK pairs.
     */
    static final String VERSION = "2";

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        // runs longer than 255 characters (hashes, base64) are cut into pieces, never dropped
        Tokenizer tokenizer = CharTokenizer.fromTokenCharPredicate(LogAnalyzer::inWord);
        return new TokenStreamComponents(tokenizer, new UnicodeWordFilter(tokenizer));
    }

    /** A letter, a digit, or a mark on a letter (an accent, a vowel sign of an Indic script, a virama). */
    private static boolean inWord(int codePoint) {
        if (Character.isLetterOrDigit(codePoint)) {
            return true;
        }
        if (codePoint < '\u0300') { // no mark comes before the combining diacritics: spare punctuation the look-up
            return false;
        }
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    @Override
    public int getPositionIncrementGap(String fieldName) {
        return 0;
    }

    /** The terms a piece of text is indexed as, in order. */
    public List<String> terms(String field, String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String cannot fail
        }
        return terms;
    }
}
