package io.osprey.query.projection;

/**
 * A query found nothing where it looked in a read model: a 404, unless the read asked for a position the read model
 * had not reached, when the thing may simply not be projected yet ({@link PositionNotReachedException}).
 */
public interface ReadModelMiss {
}
