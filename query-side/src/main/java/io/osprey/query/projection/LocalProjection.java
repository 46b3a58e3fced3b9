package io.osprey.query.projection;

/**
 * A projection that keeps its position itself rather than in the shared token table (the log index keeps
 * its token in its own Lucene commits, one index per node). Listed and awaited like the others.
 */
public interface LocalProjection {

    String name();

    ProjectionProgress progress();

    /** A query waits for a position: make what has been read visible now rather than at the next interval. */
    void hurry();
}
