package io.osprey.bench.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Deterministic, streamed log lines shaped like a Kestra installation's: 50 dotted namespaces (skewed: a few hold
 * most lines), 3-10 flows each with 3-7 tasks, executions of ~100 lines on average (log-normal sizes, so a few
 * hold thousands), spread over 30 days, mostly INFO with DEBUG/WARN/ERROR/TRACE, messages from templates with
 * variable parts (stack traces, s3:// keys, URLs, HTTP statuses, row counts, durations, SQL, paths, UUIDs).
 *
 * <p>Line {@code i} is a pure function of (seed, i): any thread generates any range, every pass (Osprey, COPY,
 * Lucene, the PostgreSQL tables) sees the same lines, and nothing but a small per-execution offset table is
 * held in memory, whatever the line count. Lines are in execution order, so time order within an execution and
 * roughly ascending overall, as workers would send them.
 *
 * <p>Three search terms are planted at known shares and appear nowhere else (not even as a substring, so ILIKE
 * agrees with token search): {@link #RARE_TERM} in 0.01 % of the lines, {@link #COMMON_TERM} in 20 %, and the
 * phrase {@link #PHRASE} in 3 %; its two words also occur apart ("opening connection", "offset reset").
 */
final class LogGenerator {

    static final String RARE_TERM = "deadlock";
    static final String COMMON_TERM = "batch";
    static final String PHRASE = "connection reset";
    static final double RARE_SHARE = 0.0001;
    static final double PHRASE_SHARE = 0.03;
    static final double COMMON_SHARE = 0.20;
    static final Instant START = Instant.parse("2025-06-01T00:00:00Z");
    static final int DAYS = 30;
    static final long SPAN_MILLIS = DAYS * 86_400_000L;
    static final int AVERAGE_LINES_PER_EXECUTION = 100;
    static final int MAX_EXECUTIONS = 100_000;
    static final String TRIGGER_ID = "schedule";
    static final List<String> NAMESPACES = namespaces();

    private static final String[] FLOWS = {"daily-sales-etl", "customer-sync", "invoice-export", "dbt-nightly",
            "ml-feature-refresh", "s3-archive", "api-poller", "warehouse-load", "report-mailer", "clickstream-ingest",
            "inventory-snapshot", "payments-reconcile", "crm-import", "log-compaction", "pricing-update",
            "user-cohorts", "fraud-scoring", "gdpr-purge", "kpi-dashboard", "partner-feed", "ledger-close",
            "search-reindex", "email-campaign", "sensor-rollup"};
    private static final String[] TASKS = {"extract", "transform", "load", "validate", "notify", "dbt-run",
            "python-script", "http-request", "s3-upload", "sql-query", "spark-submit", "cleanup", "wait-for-file",
            "unzip", "merge"};
    private static final String[] BUCKETS = {"kestra-prod-raw", "acme-datalake", "analytics-exports", "ml-artifacts"};
    private static final String[] HOSTS = {"api.stripe.com", "internal-gateway.svc.cluster.local", "hooks.slack.com",
            "s3.eu-west-1.amazonaws.com", "crm.example.com", "api.github.com"};
    private static final String[] URL_PATHS = {"/v1/charges?limit=100", "/api/orders/", "/services/T024/B07/hook",
            "/repos/acme/etl/actions/runs", "/v2/contacts?page=", "/healthz"};
    private static final String[] SCHEMAS = {"public", "staging", "analytics", "raw"};
    private static final String[] TABLES = {"orders", "customers", "invoices", "events", "payments", "sessions"};
    private static final String[] FILES = {"export.csv", "orders.parquet", "report.pdf", "features.json",
            "dump.sql.gz", "customers.avro"};
    private static final String[] TOPICS = {"orders-v2", "clickstream", "cdc.public.customers", "audit-events"};
    private static final String[] CHANNELS = {"data-alerts", "ops", "finance-reports", "ml-team"};
    private static final String[] PLUGINS = {"io.kestra.plugin.scripts.python.Script",
            "io.kestra.plugin.jdbc.postgresql.Query", "io.kestra.plugin.aws.s3.Download",
            "io.kestra.plugin.core.http.Request", "io.kestra.plugin.dbt.cli.DbtCLI"};
    private static final String[] VARIABLES = {"customer", "region", "date", "limit", "bucket"};
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long LAYOUT_SALT = 0x1A70_07L;
    private static final long EXECUTION_SALT = 0xE7EC_0000L;
    private static final long LINE_SALT = 0x11AE_0000_0000L;

    /** A flow: its id, its tasks, and whether a schedule trigger starts its executions. */
    record Flow(String id, String[] tasks, boolean scheduled) {
    }

    /** Everything a line needs to know about its execution. */
    record Execution(String id, String namespace, Flow flow, String thread, long startMillis,
                     long gapMillis, int firstLine, int lineCount, int offset, String[] taskIds, String[] taskRunIds,
                     boolean[] retried) {
    }

    private final long seed;
    private final int lines;
    private final int[] firstLine;
    private final double[] namespaceCdf;
    private final Flow[][] flows;
    private final long spanMillis;

    /** {@code lines} lines in {@code min(100 000, lines / 100)} executions (at least one), over {@link #DAYS} days. */
    LogGenerator(long seed, int lines) {
        this(seed, lines, DAYS);
    }

    /** The same lines with their executions spread over {@code days} days from {@link #START} instead. */
    LogGenerator(long seed, int lines, int days) {
        if (lines < 1) {
            throw new IllegalArgumentException("lines must be >= 1");
        }
        if (days < 1) {
            throw new IllegalArgumentException("days must be >= 1");
        }
        this.seed = seed;
        this.lines = lines;
        this.spanMillis = days * 86_400_000L;
        int executions = Math.max(1, Math.min(MAX_EXECUTIONS, lines / AVERAGE_LINES_PER_EXECUTION));
        this.firstLine = layout(seed, lines, executions);
        this.namespaceCdf = namespaceCdf();
        this.flows = flows();
    }

    int lines() {
        return lines;
    }

    int executions() {
        return firstLine.length - 1;
    }

    /** Every line with index in [from, to), in order. */
    void forEach(int from, int to, Consumer<LogLine> sink) {
        if (from >= to) {
            return;
        }
        int e = executionOf(from);
        Execution execution = execution(e);
        for (int i = from; i < to; i++) {
            while (i >= firstLine[e + 1]) {
                execution = execution(++e);
            }
            sink.accept(line(execution, i));
        }
    }

    List<LogLine> range(int from, int to) {
        List<LogLine> out = new ArrayList<>(Math.max(0, to - from));
        forEach(from, to, out::add);
        return out;
    }

    /** The execution holding line {@code line}. */
    int executionOf(int line) {
        int found = Arrays.binarySearch(firstLine, line); // strictly increasing: every execution has a line
        return found >= 0 ? found : -found - 2;
    }

    Execution execution(int e) {
        SplittableRandom r = new SplittableRandom(stream(seed, EXECUTION_SALT, e));
        int ns = pickNamespace(r.nextDouble());
        Flow flow = flows[ns][r.nextInt(flows[ns].length)];
        String id = base62(r.nextLong(), r.nextLong());
        int first = firstLine[e];
        int count = firstLine[e + 1] - first;
        long startMillis = START.toEpochMilli() + (long) ((e + r.nextDouble()) * spanMillis / executions());
        long room = START.toEpochMilli() + spanMillis - startMillis;
        long gap = Math.max(1, Math.min(20 + r.nextInt(1980), room / count));
        String thread = "WorkerThread-" + (1 + r.nextInt(16));
        int offset = flow.scheduled() ? 1 : 0;
        int taskCount = Math.min(flow.tasks().length, count - offset);
        String[] taskIds = Arrays.copyOf(flow.tasks(), taskCount);
        String[] taskRunIds = new String[taskCount];
        boolean[] retried = new boolean[taskCount];
        for (int k = 0; k < taskCount; k++) {
            taskRunIds[k] = base62(r.nextLong(), r.nextLong());
            retried[k] = r.nextInt(20) == 0;
        }
        return new Execution(id, NAMESPACES.get(ns), flow, thread, startMillis, gap, first, count, offset, taskIds,
                taskRunIds, retried);
    }

    private LogLine line(Execution x, int i) {
        int j = i - x.firstLine();
        SplittableRandom r = new SplittableRandom(stream(seed, LINE_SALT, i));
        long timestamp = x.startMillis() + j * x.gapMillis() + r.nextLong(x.gapMillis());
        if (j < x.offset()) {
            String message = "Schedule trigger started execution " + x.id() + " of " + x.namespace() + "."
                    + x.flow().id() + " for date " + Instant.ofEpochMilli(x.startMillis());
            return new LogLine(x.namespace(), x.flow().id(), x.id(), null, null, 0, TRIGGER_ID, "INFO", timestamp,
                    "scheduler", message);
        }
        int taskLines = x.lineCount() - x.offset();
        int tasks = x.taskIds().length;
        int k = (int) ((long) (j - x.offset()) * tasks / taskLines);
        int taskStart = x.offset() + ceilDiv((long) k * taskLines, tasks);
        int taskEnd = x.offset() + ceilDiv((long) (k + 1) * taskLines, tasks);
        int attempt = x.retried()[k] && j >= taskStart + (taskEnd - taskStart) / 2 ? 1 : 0;
        StringBuilder m = new StringBuilder(160);
        String level = message(r, x, x.taskIds()[k], m);
        return new LogLine(x.namespace(), x.flow().id(), x.id(), x.taskIds()[k], x.taskRunIds()[k], attempt, null,
                level, timestamp, x.thread(), m.toString());
    }

    /** Writes a message into {@code m} and returns its level. */
    private static String message(SplittableRandom r, Execution x, String taskId, StringBuilder m) {
        double u = r.nextDouble();
        if (u < RARE_SHARE) {
            int pid = 1000 + r.nextInt(60000);
            m.append("org.postgresql.util.PSQLException: ERROR: ").append(RARE_TERM).append(" detected\n  Detail: Process ")
                    .append(pid).append(" waits for ShareLock on transaction ").append(100000 + r.nextInt(900000))
                    .append("; blocked by process ").append(pid + 1 + r.nextInt(500)).append(".\n")
                    .append("\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)\n")
                    .append("\tat io.kestra.plugin.jdbc.AbstractJdbcQuery.run(AbstractJdbcQuery.java:")
                    .append(90 + r.nextInt(60)).append(')');
            return "ERROR";
        }
        u -= RARE_SHARE;
        if (u < PHRASE_SHARE) {
            return phraseMessage(r, u / PHRASE_SHARE, m);
        }
        u -= PHRASE_SHARE;
        if (u < COMMON_SHARE) {
            return commonMessage(r, u / COMMON_SHARE, m);
        }
        return otherMessage(r, (u - COMMON_SHARE) / (1 - RARE_SHARE - PHRASE_SHARE - COMMON_SHARE), x, taskId, m);
    }

    /** Lines holding "connection reset": 1/3 INFO, 1/2 WARN, 1/6 ERROR. */
    private static String phraseMessage(SplittableRandom r, double u, StringBuilder m) {
        if (u < 1 / 3.0) {
            m.append("Upstream ").append(pick(r, HOSTS)).append(" closed the stream (connection reset), resuming from offset ")
                    .append(r.nextInt(10_000_000));
            return "INFO";
        }
        if (u < 5 / 6.0) {
            m.append("java.net.SocketException: Connection reset by peer while reading ");
            url(r, m);
            m.append(", retrying in ").append(100 + r.nextInt(4900)).append(" ms");
            return "WARN";
        }
        m.append("Request to ");
        url(r, m);
        m.append(" failed: connection reset after ").append(r.nextInt(1 << 20)).append(" bytes\n")
                .append("java.net.SocketException: Connection reset\n")
                .append("\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:323)\n")
                .append("\tat io.kestra.plugin.core.http.Request.run(Request.java:").append(100 + r.nextInt(200)).append(')');
        return "ERROR";
    }

    /** Lines holding "batch": 4/5 INFO, 1/5 DEBUG. */
    private static String commonMessage(SplittableRandom r, double u, StringBuilder m) {
        int n = 2 + r.nextInt(60);
        if (u < 0.3) {
            m.append("Processing ").append(COMMON_TERM).append(' ').append(1 + r.nextInt(n)).append('/').append(n)
                    .append(" of ").append(pick(r, SCHEMAS)).append('.').append(pick(r, TABLES)).append(" (")
                    .append(100 + r.nextInt(9900)).append(" rows)");
            return "INFO";
        }
        if (u < 0.6) {
            m.append("Committed ").append(COMMON_TERM).append(" of ").append(100 + r.nextInt(9900)).append(" rows to ")
                    .append(pick(r, SCHEMAS)).append('.').append(pick(r, TABLES)).append(" in ")
                    .append(1 + r.nextInt(2000)).append(" ms");
            return "INFO";
        }
        if (u < 0.8) {
            m.append("Fetched ").append(COMMON_TERM).append(' ').append(r.nextInt(n)).append(" from ");
            s3(r, m);
            m.append(" (").append(r.nextInt(64 << 20)).append(" bytes, etag ");
            hex(r, 32, m);
            m.append(')');
            return "DEBUG";
        }
        m.append("Upload ").append(COMMON_TERM).append(' ').append(new UUID(r.nextLong(), r.nextLong()))
                .append(" accepted by ");
        url(r, m);
        m.append(": HTTP 202");
        return "INFO";
    }

    /**
     * Every other line (76.99 % of all): INFO 63, DEBUG 8, TRACE 1, WARN 3.5, ERROR 1.49 (percent of all lines), so
     * that overall INFO ~80 %, DEBUG ~12 %, WARN ~5 %, ERROR ~2 %, TRACE ~1 %.
     */
    private static String otherMessage(SplittableRandom r, double u, Execution x, String taskId, StringBuilder m) {
        double share = u * 76.99;
        if (share < 63) {
            info(r, x, taskId, m);
            return "INFO";
        }
        if (share < 71) {
            debug(r, m);
            return "DEBUG";
        }
        if (share < 72) {
            m.append("Entering ").append(pick(r, PLUGINS)).append(".run() with ").append(r.nextInt(8)).append(" arguments");
            return "TRACE";
        }
        if (share < 75.5) {
            warn(r, x, m);
            return "WARN";
        }
        error(r, x, taskId, m);
        return "ERROR";
    }

    private static void info(SplittableRandom r, Execution x, String taskId, StringBuilder m) {
        switch (r.nextInt(11)) {
            case 0 -> m.append("Task ").append(taskId).append(" started on ").append(x.thread());
            case 1 -> {
                m.append("GET ");
                url(r, m);
                m.append(" returned HTTP 200 in ").append(5 + r.nextInt(3000)).append(" ms");
            }
            case 2 -> m.append("Query finished: row_count=").append(r.nextInt(2_000_000)).append(", duration=PT")
                    .append(r.nextInt(300)).append('.').append(r.nextInt(1000)).append('S');
            case 3 -> m.append("Executing SQL: SELECT id, status, amount FROM ").append(pick(r, SCHEMAS)).append('.')
                    .append(pick(r, TABLES)).append(" WHERE updated_at > '2025-0").append(5 + r.nextInt(2)).append('-')
                    .append(10 + r.nextInt(18)).append("' ORDER BY id LIMIT ").append(1000 * (1 + r.nextInt(50)));
            case 4 -> {
                m.append("Downloaded ");
                s3(r, m);
                m.append(" to /tmp/kestra-wd/tmp/").append(new UUID(r.nextLong(), r.nextLong())).append('/')
                        .append(pick(r, FILES)).append(" (").append(r.nextInt(512 << 20)).append(" bytes)");
            }
            case 5 -> m.append("Wrote ").append(r.nextInt(500_000)).append(" records to /data/")
                    .append(x.namespace().replace('.', '/')).append('/').append(pick(r, FILES));
            case 6 -> m.append("Opening connection to jdbc:postgresql://db-").append(1 + r.nextInt(4))
                    .append(".internal:5432/warehouse (pool size ").append(2 + r.nextInt(30)).append(')');
            case 7 -> m.append("Consumer offset reset to ").append(r.nextInt(50_000_000)).append(" for partition ")
                    .append(r.nextInt(24)).append(" of topic ").append(pick(r, TOPICS));
            case 8 -> m.append("Outputs: {\"uri\":\"kestra:///").append(x.namespace().replace('.', '/')).append('/')
                    .append(x.flow().id()).append("/executions/").append(x.id()).append("/tasks/").append(taskId)
                    .append('/').append(pick(r, FILES)).append("\",\"size\":").append(r.nextInt(1 << 30)).append('}');
            case 9 -> m.append("Python script exited with code 0 after ").append(1 + r.nextInt(900)).append('.')
                    .append(r.nextInt(10)).append(" s");
            default -> m.append("Sent notification to #").append(pick(r, CHANNELS)).append(": flow ")
                    .append(x.flow().id()).append(" ended in state SUCCESS");
        }
    }

    private static void debug(SplittableRandom r, StringBuilder m) {
        switch (r.nextInt(4)) {
            case 0 -> m.append("Resolved variable {{ inputs.").append(pick(r, VARIABLES)).append(" }} = ")
                    .append(r.nextInt(100_000));
            case 1 -> m.append("Pool stats: active=").append(r.nextInt(16)).append(", idle=").append(r.nextInt(16))
                    .append(", waiting=").append(r.nextInt(4));
            case 2 -> m.append("HTTP request headers: Content-Type=application/json, X-Request-Id=")
                    .append(new UUID(r.nextLong(), r.nextLong()));
            default -> {
                m.append("Checksum sha256:");
                hex(r, 64, m);
                m.append(" verified for ").append(pick(r, FILES));
            }
        }
    }

    private static void warn(SplittableRandom r, Execution x, StringBuilder m) {
        switch (r.nextInt(4)) {
            case 0 -> {
                m.append("HTTP 503 Service Unavailable from ");
                url(r, m);
                m.append(", retrying (attempt ").append(1 + r.nextInt(5)).append("/5)");
            }
            case 1 -> m.append("Slow query took ").append(5 + r.nextInt(120)).append('.').append(r.nextInt(1000))
                    .append(" s: SELECT count(*) FROM ").append(pick(r, SCHEMAS)).append('.').append(pick(r, TABLES));
            case 2 -> m.append("Disk usage at ").append(80 + r.nextInt(20)).append("% on /var/lib/kestra/storage/")
                    .append(x.namespace().replace('.', '/'));
            default -> m.append("Deprecated property 'inputFiles' used in flow ").append(x.namespace()).append('.')
                    .append(x.flow().id());
        }
    }

    private static void error(SplittableRandom r, Execution x, String taskId, StringBuilder m) {
        String plugin = pick(r, PLUGINS);
        String simple = plugin.substring(plugin.lastIndexOf('.') + 1);
        switch (r.nextInt(4)) {
            case 0 -> m.append("java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"")
                    .append(pick(r, VARIABLES)).append("\" is null\n\tat ").append(plugin).append(".run(").append(simple)
                    .append(".java:").append(40 + r.nextInt(300)).append(")\n")
                    .append("\tat io.kestra.core.runners.WorkerTaskCallable.doCall(WorkerTaskCallable.java:")
                    .append(100 + r.nextInt(100)).append(")\n")
                    .append("\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)");
            case 1 -> m.append("java.io.FileNotFoundException: /data/").append(x.namespace().replace('.', '/'))
                    .append('/').append(pick(r, FILES)).append(" (No such file or directory)\n")
                    .append("\tat java.base/java.io.FileInputStream.open0(Native Method)\n")
                    .append("\tat ").append(plugin).append(".run(").append(simple).append(".java:")
                    .append(40 + r.nextInt(300)).append(')');
            case 2 -> m.append("java.util.concurrent.TimeoutException: Task ").append(taskId)
                    .append(" exceeded its timeout of PT").append(5 + r.nextInt(55)).append('M');
            default -> {
                m.append("com.fasterxml.jackson.core.JsonParseException: Unexpected character ('<' (code 60)): ")
                        .append("expected a valid value at [Source: (String)\"<html><body>502 Bad Gateway\"; line: 1, column: 2] from ");
                url(r, m);
            }
        }
    }

    private static void url(SplittableRandom r, StringBuilder m) {
        String path = pick(r, URL_PATHS);
        m.append("https://").append(pick(r, HOSTS)).append(path);
        if (path.endsWith("/") || path.endsWith("=")) {
            m.append(r.nextInt(100_000));
        }
    }

    private static void s3(SplittableRandom r, StringBuilder m) {
        m.append("s3://").append(pick(r, BUCKETS)).append("/year=2025/month=0").append(6 + r.nextInt(2))
                .append("/day=").append(10 + r.nextInt(19)).append("/part-").append(10000 + r.nextInt(90000))
                .append(".parquet");
    }

    private static void hex(SplittableRandom r, int digits, StringBuilder m) {
        for (int i = 0; i < digits; i++) {
            m.append(HEX[r.nextInt(16)]);
        }
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    /** The seed of random stream {@code index} of a kind ({@code salt}): unrelated for any two seeds or indexes. */
    static long stream(long seed, long salt, long index) {
        return mix(mix(seed ^ salt) + index * 0x9E3779B97F4A7C15L);
    }

    /** SplitMix64's finalizer, a bijection. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int ceilDiv(long a, int b) {
        return (int) ((a + b - 1) / b);
    }

    /** A 22-character base62 id, like Kestra's. */
    static String base62(long high, long low) {
        char[] id = new char[22];
        for (int i = 0; i < 11; i++) {
            id[i] = BASE62[(int) Long.remainderUnsigned(high, 62)];
            high = Long.divideUnsigned(high, 62);
            id[11 + i] = BASE62[(int) Long.remainderUnsigned(low, 62)];
            low = Long.divideUnsigned(low, 62);
        }
        return new String(id);
    }

    /** 2 companies x 5 teams x 5 areas: {@code acme.data.ingest} ... {@code globex.platform.sync}. */
    private static List<String> namespaces() {
        List<String> out = new ArrayList<>(50);
        for (String company : new String[] {"acme", "globex"}) {
            for (String team : new String[] {"data", "finance", "marketing", "ops", "platform"}) {
                for (String area : new String[] {"ingest", "reporting", "ml", "billing", "sync"}) {
                    out.add(company + "." + team + "." + area);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Namespace popularity: Zipf-like, weight 1 / (rank + 1)^0.7. */
    private static double[] namespaceCdf() {
        double[] cdf = new double[NAMESPACES.size()];
        double sum = 0;
        for (int i = 0; i < cdf.length; i++) {
            sum += 1 / Math.pow(i + 1, 0.7);
            cdf[i] = sum;
        }
        for (int i = 0; i < cdf.length; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private int pickNamespace(double u) {
        for (int i = 0; i < namespaceCdf.length; i++) {
            if (u < namespaceCdf[i]) {
                return i;
            }
        }
        return namespaceCdf.length - 1;
    }

    private static Flow[][] flows() {
        Flow[][] out = new Flow[NAMESPACES.size()][];
        for (int ns = 0; ns < out.length; ns++) {
            out[ns] = new Flow[3 + (ns * 7) % 8];
            for (int f = 0; f < out[ns].length; f++) {
                String[] tasks = new String[3 + (ns * 3 + f) % 5];
                for (int k = 0; k < tasks.length; k++) {
                    tasks[k] = TASKS[(ns + f * 3 + k * 4) % TASKS.length];
                }
                out[ns][f] = new Flow(FLOWS[(ns * 5 + f * 7) % FLOWS.length], tasks, (ns + f) % 3 == 0);
            }
        }
        return out;
    }

    /**
     * First line of each execution (and {@code lines} at the end): log-normal execution sizes (sigma 0.9, so the
     * largest of 100 000 executions hold ~50x the average), every execution at least one line.
     */
    private static int[] layout(long seed, int lines, int executions) {
        SplittableRandom r = new SplittableRandom(stream(seed, LAYOUT_SALT, 0));
        double[] cumulative = new double[executions + 1];
        for (int e = 0; e < executions; e++) {
            cumulative[e + 1] = cumulative[e] + Math.exp(0.9 * r.nextGaussian());
        }
        int[] first = new int[executions + 1];
        long spare = lines - executions;
        for (int e = 0; e <= executions; e++) {
            first[e] = e + (int) (spare * (cumulative[e] / cumulative[executions]));
        }
        first[executions] = lines;
        return first;
    }
}
