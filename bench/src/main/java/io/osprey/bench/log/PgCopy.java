package io.osprey.bench.log;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** PostgreSQL COPY in text format: escaping, the plain row of a log line, one COPY statement per call. */
final class PgCopy {

    /** The columns of the plain shape (the COPY baseline's table and the tsvector table), in row order. */
    static final String PLAIN_COLUMNS = "namespace, flow_id, execution_id, task_id, taskrun_id, attempt_number, "
            + "trigger_id, level, timestamp, thread, message";

    /** The plain table's column definitions, shared by the COPY baseline and the tsvector table. */
    static final String PLAIN_DEFINITIONS = """
            namespace varchar(150) NOT NULL,
            flow_id varchar(150) NOT NULL,
            execution_id varchar(150),
            task_id varchar(256),
            taskrun_id varchar(150),
            attempt_number integer,
            trigger_id varchar(150),
            level varchar(5) NOT NULL,
            timestamp timestamptz NOT NULL,
            thread varchar(150),
            message text""";

    private PgCopy() {
    }

    /** Appends one line as a text-format row of {@link #PLAIN_COLUMNS}. */
    static void appendPlainRow(StringBuilder row, LogLine line) {
        field(row, line.namespace()).append('\t');
        field(row, line.flowId()).append('\t');
        field(row, line.executionId()).append('\t');
        field(row, line.taskId()).append('\t');
        field(row, line.taskRunId()).append('\t');
        row.append(line.attemptNumber()).append('\t');
        field(row, line.triggerId()).append('\t');
        row.append(line.level()).append('\t');
        row.append(line.isoTimestamp()).append('\t');
        field(row, line.thread()).append('\t');
        field(row, line.message()).append('\n');
    }

    /** Appends a text-format field: {@code \N} for null, backslash, newline, carriage return and tab escaped. */
    static StringBuilder field(StringBuilder row, String value) {
        if (value == null) {
            return row.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                case '\t' -> row.append("\\t");
                default -> row.append(c);
            }
        }
        return row;
    }

    /** The plain rows of the lines, as COPY text-format bytes. */
    static byte[] plainRows(List<LogLine> lines) {
        StringBuilder rows = new StringBuilder(lines.size() * 300);
        for (LogLine line : lines) {
            appendPlainRow(rows, line);
        }
        return rows.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code COPY <table> (<columns>) FROM STDIN} with the rows; in autocommit, one transaction. */
    static long copy(Connection connection, String table, String columns, byte[] rows) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN (FORMAT text)");
        try {
            in.writeToCopy(rows, 0, rows.length);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
