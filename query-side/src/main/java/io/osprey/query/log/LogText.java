package io.osprey.query.log;

import io.osprey.events.validation.Violations;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import java.util.ArrayList;
import java.util.List;

/**
 * The full-text part of a log search ({@code q}): words that must all appear, {@code "quoted phrases"},
 * {@code prefix*} (also ending a phrase: {@code "s3://bucket/k*"}) and {@code -excluded} words. There is deliberately no field syntax, so nothing in
 * {@code q} can reach beyond the message of lines already limited to the caller's tenant and namespace.
 * A word is split as the analyzer splits messages and searched as the phrase of its parts. Patterns that
 * would be expensive are refused: leading or inner wildcards, prefixes under two characters, and (at
 * search time, see {@link #prefixes}) prefixes matching too many terms.
 */
record LogText(Query query, List<Term> prefixes) {

    static final int MAX_LENGTH = 1000;
    static final int MAX_CLAUSES = 32;
    static final int MIN_PREFIX = 2;

    /** Parses {@code q}; adds what is wrong to the violations and returns null then (or when q is blank). */
    static LogText parse(String q, LogAnalyzer analyzer, Violations violations) {
        if (q == null || q.isBlank()) {
            return null;
        }
        if (q.length() > MAX_LENGTH && q.codePointCount(0, q.length()) > MAX_LENGTH) { // characters, not UTF-16 units
            violations.add("q", "max-length", "q must be at most " + MAX_LENGTH + " characters, got "
                    + q.codePointCount(0, q.length()));
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        List<Term> prefixes = new ArrayList<>();
        int clauses = 0;
        boolean positive = false;
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean excluded = c == '-' && i + 1 < q.length() && !Character.isWhitespace(q.charAt(i + 1));
            int start = excluded ? i + 1 : i;
            Query clause;
            if (q.charAt(start) == '"') {
                int end = q.indexOf('"', start + 1);
                if (end < 0) {
                    violations.add("q", "syntax", "q has a phrase without its closing quote");
                    return null;
                }
                String text = q.substring(start + 1, end);
                boolean prefix = text.length() > 1 && text.endsWith("*") && !Character.isWhitespace(text.charAt(text.length() - 2));
                if (prefix) { // "s3://bucket/k*": the phrase's last word is a prefix, as outside quotes
                    int refusedBefore = violations.count();
                    clause = prefixed(analyzer.terms(LogFields.MESSAGE, text.substring(0, text.length() - 1)), text,
                            prefixes, violations);
                    if (violations.count() > refusedBefore) {
                        return null;
                    }
                } else {
                    clause = phrase(analyzer.terms(LogFields.MESSAGE, text));
                }
                i = end + 1;
            } else {
                int end = start;
                while (end < q.length() && !Character.isWhitespace(q.charAt(end))) {
                    end++;
                }
                int refusedBefore = violations.count(); // other parameters' may be there already
                clause = word(q.substring(start, end), analyzer, prefixes, violations);
                if (violations.count() > refusedBefore) {
                    return null;
                }
                i = end;
            }
            if (clause == null) {
                continue; // only punctuation: nothing to search for
            }
            if (++clauses > MAX_CLAUSES) {
                violations.add("q", "max-clauses", "q may hold at most " + MAX_CLAUSES + " words and phrases");
                return null;
            }
            query.add(clause, excluded ? BooleanClause.Occur.MUST_NOT : BooleanClause.Occur.MUST);
            positive |= !excluded;
        }
        if (clauses == 0) {
            violations.add("q", "no-terms", "q holds no letters or digits to search for");
            return null;
        }
        if (!positive) {
            query.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        }
        return new LogText(query.build(), List.copyOf(prefixes));
    }

    private static Query word(String word, LogAnalyzer analyzer, List<Term> prefixes, Violations violations) {
        int wildcard = indexOfWildcard(word);
        boolean prefix = wildcard == word.length() - 1;
        if (wildcard == 0) {
            violations.add("q", "leading-wildcard", "q must not start a word with a wildcard ('" + word + "')");
            return null;
        }
        if (wildcard >= 0 && !prefix) {
            violations.add("q", "wildcard", "q allows a wildcard only as the last character of a word ('" + word + "')");
            return null;
        }
        List<String> terms = analyzer.terms(LogFields.MESSAGE, prefix ? word.substring(0, wildcard) : word);
        return prefix ? prefixed(terms, word, prefixes, violations) : phrase(terms);
    }

    /** The phrase of {@code terms} whose last one is a prefix; {@code shown} is what q gave, for a refusal. */
    private static Query prefixed(List<String> terms, String shown, List<Term> prefixes, Violations violations) {
        if (terms.isEmpty()) {
            return null;
        }
        String last = terms.get(terms.size() - 1);
        if (last.codePointCount(0, last.length()) < MIN_PREFIX) { // a letter beyond the BMP is one, not two
            violations.add("q", "prefix-too-short", "q prefixes need at least " + MIN_PREFIX + " letters or digits ('" + shown + "')");
            return null;
        }
        Term prefixTerm = new Term(LogFields.MESSAGE, last);
        prefixes.add(prefixTerm);
        if (terms.size() == 1) {
            return new PrefixQuery(prefixTerm);
        }
        return new PrefixPhraseQuery(LogFields.MESSAGE, terms.subList(0, terms.size() - 1), last);
    }

    private static int indexOfWildcard(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) == '*') { // '?' is no wildcard: it is too common in URLs
                return i;
            }
        }
        return -1;
    }

    private static Query phrase(List<String> terms) {
        if (terms.isEmpty()) {
            return null;
        }
        if (terms.size() == 1) {
            return new TermQuery(new Term(LogFields.MESSAGE, terms.get(0)));
        }
        return new PhraseQuery(LogFields.MESSAGE, terms.toArray(String[]::new));
    }
}
