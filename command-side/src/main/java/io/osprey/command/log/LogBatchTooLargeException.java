package io.osprey.command.log;

/** A log batch went over {@link LogIngestLimits} (lines or bytes). Maps to 413; nothing was written. */
public class LogBatchTooLargeException extends RuntimeException {

    private final String rule;
    private final long limit;

    private LogBatchTooLargeException(String rule, long limit, String message) {
        super(message);
        this.rule = rule;
        this.limit = limit;
    }

    static LogBatchTooLargeException lines(LogIngestLimits limits) {
        return new LogBatchTooLargeException("max-lines", limits.maxLines(),
                "a log batch may hold at most " + limits.maxLines() + " lines");
    }

    static LogBatchTooLargeException bytes(LogIngestLimits limits) {
        return new LogBatchTooLargeException("max-bytes", limits.maxBytes().toBytes(),
                "a log batch request body may be at most " + limits.maxBytes().toBytes() + " bytes");
    }

    public String field() {
        return "body";
    }

    public String rule() {
        return rule;
    }

    public long limit() {
        return limit;
    }
}
