package io.osprey.query.log;

import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A phrase whose last word is a prefix: {@code java.lang.Null*} is {@code java lang} followed, at the next position,
 * by a word starting with {@code null}. Rewritten against the index searched into a {@link MultiPhraseQuery} of the
 * words the prefix matches there ({@link LogSearches} refuses a prefix matching too many before it gets here).
 */
final class PrefixPhraseQuery extends Query {

    private final String field;
    private final List<String> leading;
    private final String prefix;

    PrefixPhraseQuery(String field, List<String> leading, String prefix) {
        this.field = field;
        this.leading = List.copyOf(leading);
        this.prefix = prefix;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        List<Term> words = new ArrayList<>();
        Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), field);
        if (terms != null) {
            BytesRef start = new BytesRef(prefix);
            TermsEnum enumeration = terms.iterator();
            if (enumeration.seekCeil(start) != TermsEnum.SeekStatus.END) {
                do {
                    if (!StringHelper.startsWith(enumeration.term(), start)) {
                        break;
                    }
                    words.add(new Term(field, BytesRef.deepCopyOf(enumeration.term())));
                } while (enumeration.next() != null);
            }
        }
        if (words.isEmpty()) {
            return new MatchNoDocsQuery("no word starts with " + prefix);
        }
        MultiPhraseQuery.Builder phrase = new MultiPhraseQuery.Builder();
        leading.forEach(word -> phrase.add(new Term(field, word)));
        phrase.add(words.toArray(Term[]::new));
        return phrase.build();
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            visitor.visitLeaf(this);
        }
    }

    @Override
    public String toString(String defaultField) {
        return (field.equals(defaultField) ? "" : field + ":") + "\"" + String.join(" ", leading) + " " + prefix + "*\"";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && field.equals(((PrefixPhraseQuery) other).field)
                && leading.equals(((PrefixPhraseQuery) other).leading) && prefix.equals(((PrefixPhraseQuery) other).prefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field, leading, prefix);
    }
}
