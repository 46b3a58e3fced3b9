package io.osprey.query.log;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Log messages split into runs of letters and digits, lower-cased, nothing dropped: no stop words, no
 * stemming. Identifiers, paths, URLs, error codes and numbers stay findable because a query word is split
 * the same way and searched as a phrase of its parts: {@code java.lang.NullPointerException} is the phrase
 * {@code java lang nullpointerexception}, {@code s3://bucket/key} is {@code s3 bucket key},
 * {@code row_count=1234} is {@code row count 1234}, and each part alone matches too.
 */
public final class LogAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        // runs longer than 255 characters (hashes, base64) are cut into pieces, never dropped
        Tokenizer tokenizer = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(tokenizer));
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
