package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.Args;
import io.osprey.bench.support.CpuUsage;
import io.osprey.bench.support.JitWarmup;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import io.osprey.bench.support.Stats;
import org.HdrHistogram.Histogram;
import org.postgresql.util.DriverInfo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Scenario {@code logs-search}: the same generated lines in Osprey (through its HTTP API, until indexed) and in two
 * PostgreSQL shapes (Kestra's log table and a tsvector table, loaded with COPY), then the latency of the searches a
 * log UI runs: a rare term, a common term and a phrase, each in one namespace over 24 hours; one execution's lines;
 * a deep page. Osprey through its HTTP API, PostgreSQL through JDBC. See {@link #USAGE}.
 */
public final class LogsSearchScenario {

    public static final String USAGE = """
            logs-search [options]
              --lines N             generated lines, loaded into Osprey and both PostgreSQL shapes (default 1000000;
                                    the targets are set at 10000000)
              --repetitions R       measured repetitions of each query, after the warm-up (default 200)
              --query-warmup W      warm-up repetitions of each query, not measured (default 20)
              --osprey-warmup O     searches and execution reads sent to Osprey alone before any measurement, at least
                                    (default 2000); then more, 2000 at a time, until the JIT compilers of the query side
                                    and of the bench both took under 5 % of two blocks in a row, so that Osprey is
                                    measured compiled, as a long-running service is
              --osprey-warmup-limit S  seconds the warm-up may go on for that (default 180)
              --ilike-repetitions R repetitions of the ILIKE shape (default: --repetitions; it scans, fewer may do at 10M)
              --skip-pg-ilike       leave the ILIKE shape out
              --deep-page P         page of the deep-page query, 25 lines a page (default 1000; lowered when fewer match)
              --deep-repetitions D  measured repetitions of the deep page (default 20)
              --cursor-walks C      walks from page 1 to the deep page through Osprey's cursors (default 3)
              --engine-budget S     seconds a PostgreSQL engine may spend on one kind of query (warm-up included);
                                    past it, it stops after 3 measured repetitions: its "n" tells (default 120)
            """ + LogRun.COMMON_USAGE;
    public static final Set<String> FLAGS = union(LogRun.FLAGS, Set.of("skip-pg-ilike"));
    private static final Set<String> OPTIONS = Set.of("lines", "repetitions", "query-warmup", "osprey-warmup",
            "osprey-warmup-limit", "ilike-repetitions",
            "skip-pg-ilike", "deep-page", "deep-repetitions", "cursor-walks", "engine-budget");

    static final String SCENARIO = "logs-search";
    static final int TARGET_LINES = 10_000_000;
    static final double P99_MAX_MS = 10;
    static final double TSVECTOR_RATIO_MIN = 3;
    static final double ILIKE_RATIO_MIN = 50;
    static final int PAGE_SIZE = 25;
    /** Warm-up requests between two looks at the JIT compilers: about a second once compiled (/proc counts in 10 ms). */
    private static final int WARMUP_BLOCK = 2000;
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final String OSPREY = QueryStats.REFERENCE;
    /** The server time of the last Osprey search in the current round (its Server-Timing), -1 when none. */
    private long lastServerNanos = -1;
    private static final String TSVECTOR = "tsvector";
    private static final String KESTRA = "kestra";
    private static final String ILIKE = "ilike";
    /** Round trips that do no work, measured in the same rounds: the machine's floor under each transport. */
    private static final String HTTP_FLOOR = "http_floor";
    private static final String JDBC_FLOOR = "jdbc_floor";
    /** Measured repetitions an engine runs even past its time budget. */
    private static final int MIN_MEASURED = 3;
    private static final String OSPREY_PAGE = "osprey_page";
    /** Osprey pages with ?page= up to this many lines deep (page * size), deeper with the cursor. */
    private static final int OSPREY_MAX_WINDOW = 10_000;

    /** The three searched texts: Osprey's q, and whether PostgreSQL searches it as a phrase. */
    private enum Term {
        RARE("rare_term", LogGenerator.RARE_TERM, false),
        COMMON("common_term", LogGenerator.COMMON_TERM, false),
        PHRASE("phrase", LogGenerator.PHRASE, true);

        final String key;
        final String text;
        final boolean phrase;

        Term(String key, String text, boolean phrase) {
            this.key = key;
            this.text = text;
            this.phrase = phrase;
        }

        String ospreyQuery() {
            return phrase ? "\"" + text + "\"" : text;
        }
    }

    private interface Probe {
        Hits run() throws Exception;
    }

    /** Whether one engine's answer is the expected one, given every engine's answer in the round. */
    private interface Check {
        boolean agrees(Hits hits, Map<String, Hits> all);
    }

    /** One repetition: the same query on each engine, and how to check the answers. */
    private record Round(Map<String, Probe> probes, Check check) {
    }

    /** The same lines as Osprey's answer (order among equal timestamps aside). */
    private static final Check SAME_PAGE_AS_OSPREY = (hits, all) ->
            sorted(hits.timestamps()).equals(sorted(all.get(OSPREY).timestamps()));

    private final LogRun run;
    private final int lines;
    private final int repetitions;
    private final int queryWarmup;
    private final int ospreyWarmup;
    private final Duration ospreyWarmupLimit;
    private final int ilikeRepetitions;
    private final int deepPage;
    private final int deepRepetitions;
    private final int cursorWalks;
    private final long budgetNanos;
    private LogGenerator generator;
    private KestraLogTable kestra;
    private TsvectorLogTable tsvector;
    private int loggedDisagreements;

    public LogsSearchScenario(Args args) {
        this.run = new LogRun(args, OPTIONS);
        this.lines = args.integer("lines", 1_000_000, 1);
        this.repetitions = args.integer("repetitions", 200, 1);
        this.queryWarmup = args.integer("query-warmup", 20, 0);
        this.ospreyWarmup = args.integer("osprey-warmup", 2000, 0);
        this.ospreyWarmupLimit = Duration.ofSeconds(args.integer("osprey-warmup-limit", 180, 0));
        this.ilikeRepetitions = args.flag("skip-pg-ilike") ? 0 : args.integer("ilike-repetitions", repetitions, 1);
        this.deepPage = args.integer("deep-page", 1000, 1);
        this.deepRepetitions = args.integer("deep-repetitions", 20, 1);
        this.cursorWalks = args.integer("cursor-walks", 3, 0);
        this.budgetNanos = args.integer("engine-budget", 120, 1) * 1_000_000_000L;
    }

    /** Runs the scenario, prints its one JSON line on {@code out}, returns the process exit status. */
    public int run(PrintStream out) {
        generator = new LogGenerator(run.seed, lines);
        ObjectNode parameters = JsonLine.object();
        parameters.put("lines", lines);
        parameters.put("executions", generator.executions());
        parameters.put("namespaces", LogGenerator.NAMESPACES.size());
        parameters.put("days", LogGenerator.DAYS);
        parameters.put("first_day", LogGenerator.START.toString());
        parameters.put("repetitions", repetitions);
        parameters.put("query_warmup", queryWarmup);
        parameters.put("osprey_warmup", ospreyWarmup);
        parameters.put("osprey_warmup_limit_s", ospreyWarmupLimit.toSeconds());
        parameters.put("ilike_repetitions", ilikeRepetitions);
        parameters.put("deep_repetitions", deepRepetitions);
        parameters.put("cursor_walks", cursorWalks);
        parameters.put("engine_budget_s", budgetNanos / 1_000_000_000L);
        parameters.put("page_size", PAGE_SIZE);
        run.commonParameters(parameters);
        return run.execute(SCENARIO, parameters, out, this::measure);
    }

    private ObjectNode measure() throws Exception {
        run.startServers("osprey-bench-logs-search-");
        ObjectNode line = JsonLine.object();
        line.set("load", load());
        long commonLines = describeData(line.putObject("data"));
        describeEngines(line);

        ObjectNode queries = line.putObject("queries");
        ObjectNode targets = line.putObject("targets");
        targets.put("at_lines", TARGET_LINES);
        JsonLine.put(targets, "p99_ms_max", P99_MAX_MS);
        JsonLine.put(targets, "tsvector_ratio_min", TSVECTOR_RATIO_MIN);
        JsonLine.put(targets, "ilike_ratio_min", ILIKE_RATIO_MIN);
        line.set("osprey_warmup", warmOsprey());
        boolean allMet = true;
        for (Term term : Term.values()) {
            QueryStats stats = measure(term.key, queryWarmup, repetitions, r -> filteredSearch(term, r));
            ObjectNode node = stats.json(compared());
            node.put("q", term.ospreyQuery());
            node.put("filters", "one namespace, a 24-hour window; namespace and window vary per repetition");
            queries.set(term.key, node);
            ObjectNode met = targets.putObject(term.key);
            met.put("p99_met", stats.summary(OSPREY).p99() <= P99_MAX_MS);
            met.put("tsvector_met", stats.p99Ratio(TSVECTOR) >= TSVECTOR_RATIO_MIN);
            if (ilikeRepetitions > 0) {
                met.put("ilike_met", stats.p99Ratio(ILIKE) >= ILIKE_RATIO_MIN);
            } else {
                met.putNull("ilike_met"); // not measured: all_met stays false
            }
            allMet &= met.get("p99_met").asBoolean() && met.get("tsvector_met").asBoolean()
                    && met.get("ilike_met").asBoolean();
            // what meeting all three would take, next to what a request that does nothing costs here
            double needed = Math.min(P99_MAX_MS, stats.summary(TSVECTOR).p99() / TSVECTOR_RATIO_MIN);
            if (ilikeRepetitions > 0) {
                needed = Math.min(needed, stats.summary(ILIKE).p99() / ILIKE_RATIO_MIN);
            }
            JsonLine.put(met, "osprey_p99_ms_needed", needed);
            JsonLine.put(met, "http_floor_p99_ms", stats.summary(HTTP_FLOOR).p99());
        }
        targets.put("all_met", allMet);

        QueryStats execution = measure("execution", queryWarmup, repetitions, this::executionLines);
        ObjectNode executionNode = execution.json(List.of(TSVECTOR, KESTRA));
        executionNode.put("query", "every line of one execution in time order; a different execution per repetition");
        queries.set("execution", executionNode);
        queries.set("deep_page", deepPageQueries(commonLines));
        run.requireAlive("the queries");
        return line;
    }

    /** The same lines into Osprey (until searchable), then into both PostgreSQL shapes. */
    private ObjectNode load() throws Exception {
        ObjectNode load = JsonLine.object();
        OspreyIngest.Result osprey = OspreyIngest.run("load osprey", generator, run.api, run.batch, run.clients, 1,
                run.indexStall);
        ObjectNode ospreyLoad = osprey.json();
        ospreyLoad.put("event_store_bytes", PgStats.totalRelationSize(run.database, "domain_event_entry"));
        ospreyLoad.put("log_index_bytes", LogRun.directorySize(run.indexDir));
        load.set("osprey", ospreyLoad);
        run.requireAlive("the Osprey load");
        kestra = run.track(new KestraLogTable(run.database));
        load.set("kestra", kestra.load(generator, run.clients).json());
        tsvector = run.track(new TsvectorLogTable(run.database));
        load.set("tsvector", tsvector.load(generator, run.clients).json());
        return load;
    }

    /** Lines, executions, and how many lines each searched text matches; returns the common term's count. */
    private long describeData(ObjectNode data) throws Exception {
        data.put("lines", lines);
        data.put("executions", generator.executions());
        ObjectNode matching = data.putObject("matching_lines");
        long commonLines = 0;
        for (Term term : Term.values()) {
            long count = tsvector.count("message_tsv @@ " + (term.phrase ? "phraseto_tsquery" : "plainto_tsquery")
                    + "('simple', ?)", term.text);
            matching.put(term.ospreyQuery(), count);
            if (term == Term.COMMON) {
                commonLines = count;
            }
        }
        ObjectNode shares = data.putObject("planted_percent");
        shares.put(Term.RARE.ospreyQuery(), LogGenerator.RARE_SHARE * 100);
        shares.put(Term.COMMON.ospreyQuery(), LogGenerator.COMMON_SHARE * 100);
        shares.put(Term.PHRASE.ospreyQuery(), LogGenerator.PHRASE_SHARE * 100);
        return commonLines;
    }

    private void describeEngines(ObjectNode line) {
        ObjectNode through = line.putObject("measured_through");
        through.put(OSPREY, "HTTP API of the query side (java.net.http, HTTP/1.1, one query at a time): request sent"
                + " -> whole body received");
        through.put("postgresql", "JDBC (pgjdbc " + DriverInfo.DRIVER_VERSION + ", one connection per shape, prepared"
                + " statements, one query at a time): execute -> every column of every row read");
        ObjectNode engines = line.putObject("engines");
        engines.put(OSPREY, "GET /api/v1/{tenant}/logs/search (q, namespace, startDate, endDate, page or cursor,"
                + " size 25, sort timestamp:desc; its total is exact up to 1000 matches, a lower bound beyond);"
                + " GET /api/v1/{tenant}/logs/{executionId}");
        engines.put(TSVECTOR, "tsv_logs: message_tsv @@ plainto_tsquery/phraseto_tsquery('simple', ?) AND namespace = ?"
                + " AND timestamp BETWEEN ? AND ? ORDER BY timestamp DESC LIMIT 25 [OFFSET]; GIN + btree indexes");
        engines.put(KESTRA, "kestra_logs (Kestra 2.0 logs-postgres.sql): fulltext @@ FULLTEXT_SEARCH(?) (each word as a"
                + " prefix, AND-ed: no phrase search) with tenant, execution kind, namespace and time filters, ORDER BY"
                + " timestamp DESC LIMIT 25 OFFSET, plus count(*) of the same condition, in one transaction");
        engines.put(HTTP_FLOOR, "GET /actuator/health/ping on the query side, in every round: the HTTP round trip alone");
        engines.put(JDBC_FLOOR, "SELECT 1 on the tsvector shape's connection, in every round: the JDBC round trip alone");
        engines.put(ILIKE, ilikeRepetitions == 0 ? "skipped (--skip-pg-ilike)"
                : "kestra_logs: value ->> 'message' ILIKE '%text%' with the same filters and order, the page only");
    }

    /**
     * Page {@link #deepPage} (fewer when fewer lines match) of the common term without filters: Osprey through the
     * cursor of the page before (and ?page= when its window allows), PostgreSQL with OFFSET; then whole cursor walks.
     */
    private ObjectNode deepPageQueries(long commonLines) throws Exception {
        int page = Math.min(deepPage, (int) Math.max(1, commonLines / PAGE_SIZE));
        int offset = (page - 1) * PAGE_SIZE;
        int deepIlike = Math.min(ilikeRepetitions, deepRepetitions);
        boolean pageParameter = (long) page * PAGE_SIZE <= OSPREY_MAX_WINDOW;
        String cursor = cursorToPage(page);
        QueryStats deep = measure("deep page", Math.min(queryWarmup, 2), deepRepetitions,
                r -> deepPage(page, cursor, pageParameter, r < deepIlike));
        List<String> compared = new ArrayList<>(compared());
        if (pageParameter) {
            compared.add(0, OSPREY_PAGE);
        }
        ObjectNode node = deep.json(compared);
        node.put("q", Term.COMMON.ospreyQuery());
        node.put("filters", "none");
        node.put("page", page);
        node.put("offset", offset);
        ObjectNode how = node.putObject("how");
        how.put(OSPREY, "the page through the nextCursor of the page before it (fetched once beforehand)");
        how.put(OSPREY_PAGE, pageParameter ? "the page through ?page=" + page
                : "not measured: Osprey pages with ?page= only up to " + OSPREY_MAX_WINDOW + " lines deep, then by cursor");
        how.put("postgresql", "LIMIT 25 OFFSET " + offset);
        node.put("ilike_repetitions", deepIlike);
        if (cursorWalks > 0) {
            Hits expected = tsvector.search(Term.COMMON.text, false, null, null, null, PAGE_SIZE, offset);
            node.set("osprey_cursor_walk", cursorWalks(page, expected));
        }
        return node;
    }

    private List<String> compared() {
        return ilikeRepetitions > 0 ? List.of(TSVECTOR, KESTRA, ILIKE) : List.of(TSVECTOR, KESTRA);
    }

    /**
     * Osprey's JVM compiles its hot paths after thousands of calls, PostgreSQL has nothing to warm but its cache:
     * every kind of query Osprey answers (and the HTTP floor's ping), on namespaces, windows and executions the
     * measured rounds do not use, at least {@link #ospreyWarmup} of them, then blocks of {@link #WARMUP_BLOCK} until
     * the JIT compilers of the query side and of the bench (whose HTTP client is measured with it) are quiet.
     */
    private ObjectNode warmOsprey() throws Exception {
        Map<String, ProcessHandle> jvms = jvms();
        JitWarmup.Result warmup = JitWarmup.run("queries: warm-up requests to Osprey alone", jvms,
                ospreyWarmupLimit, block -> {
                    int first = block == 0 ? 0 : ospreyWarmup + (block - 1) * WARMUP_BLOCK;
                    int count = block == 0 ? ospreyWarmup : WARMUP_BLOCK;
                    for (int sent = first; sent < first + count; sent++) {
                        warmupRequest(sent);
                    }
                    return count;
                });
        return warmup.json("requests", "every kind of query Osprey answers and the HTTP floor's ping, on namespaces,"
                + " windows and executions the measured rounds do not use, osprey_warmup of them, then "
                + WARMUP_BLOCK + " at a time");
    }

    private void warmupRequest(int sent) throws Exception {
        int r = -1_000_000 - sent;
        int kind = sent % (Term.values().length + 2);
        if (kind < Term.values().length) {
            filteredSearch(Term.values()[kind], r).probes().get(OSPREY).run();
        } else if (kind == Term.values().length) {
            executionLines(r).probes().get(OSPREY).run();
        } else {
            run.api.ping();
        }
    }

    /** The JVMs a measured Osprey request runs through: the query side and the bench's own HTTP client. */
    private Map<String, ProcessHandle> jvms() {
        Map<String, ProcessHandle> jvms = new LinkedHashMap<>();
        jvms.put("query_side", run.children().get("query_side"));
        jvms.put("bench", ProcessHandle.current());
        return jvms;
    }

    /** Repetition r of a term search: a namespace and a 24-hour window drawn from (seed, term, r). */
    private Round filteredSearch(Term term, int r) {
        SplittableRandom random = new SplittableRandom(run.seed * 1_000_003L + term.ordinal() * 100_003L + r);
        String namespace = LogGenerator.NAMESPACES.get(random.nextInt(LogGenerator.NAMESPACES.size()));
        Instant start = LogGenerator.START.plusMillis(
                random.nextLong(LogGenerator.SPAN_MILLIS - WINDOW.toMillis()));
        Instant end = start.plus(WINDOW);
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put(OSPREY, () -> ospreySearch(new OspreyLogApi.Search(term.ospreyQuery(), namespace, start, end, 1,
                PAGE_SIZE, null)));
        probes.put(TSVECTOR, () -> tsvector.search(term.text, term.phrase, namespace, start, end, PAGE_SIZE, 0));
        probes.put(KESTRA, () -> kestra.fulltext(term.text, namespace, start, end, PAGE_SIZE, 0));
        if (r < ilikeRepetitions) {
            probes.put(ILIKE, () -> kestra.ilike(term.text, namespace, start, end, PAGE_SIZE, 0));
        }
        return new Round(probes, SAME_PAGE_AS_OSPREY);
    }

    /** Repetition r of an execution's lines: an execution drawn from (seed, r); all of its lines expected. */
    private Round executionLines(int r) {
        SplittableRandom random = new SplittableRandom(run.seed * 1_000_003L + 7_777_777L + r);
        LogGenerator.Execution execution = generator.execution(random.nextInt(generator.executions()));
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put(OSPREY, () -> {
            OspreyLogApi.ExecutionReply reply = run.api.executionLines(execution.id());
            if (!reply.ok()) {
                throw new IllegalStateException("GET /logs/" + execution.id() + ": HTTP " + reply.status() + " "
                        + OspreyIngest.abbreviate(reply.body()));
            }
            return new Hits(reply.latencyNanos(), List.of(), reply.lines(), -1);
        });
        probes.put(TSVECTOR, () -> tsvector.executionLines(execution.id()));
        probes.put(KESTRA, () -> kestra.executionLines(execution.id()));
        return new Round(probes, (hits, all) -> hits.returned() == execution.lineCount());
    }

    /** One repetition of the deep page. */
    private Round deepPage(int page, String cursor, boolean pageParameter, boolean withIlike) {
        int offset = (page - 1) * PAGE_SIZE;
        String text = Term.COMMON.text;
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put(OSPREY, () -> ospreySearch(new OspreyLogApi.Search(text, null, null, null, 1, PAGE_SIZE, cursor)));
        if (pageParameter) {
            probes.put(OSPREY_PAGE, () -> ospreySearch(new OspreyLogApi.Search(text, null, null, null, page,
                    PAGE_SIZE, null)));
        }
        probes.put(TSVECTOR, () -> tsvector.search(text, false, null, null, null, PAGE_SIZE, offset));
        probes.put(KESTRA, () -> kestra.fulltext(text, null, null, null, PAGE_SIZE, offset));
        if (withIlike) {
            probes.put(ILIKE, () -> kestra.ilike(text, null, null, null, PAGE_SIZE, offset));
        }
        return new Round(probes, SAME_PAGE_AS_OSPREY);
    }

    /** The nextCursor of page {@code page - 1} of the deep-page search (null for page 1). */
    private String cursorToPage(int page) throws Exception {
        String cursor = null;
        for (int p = 1; p < page; p++) {
            OspreyLogApi.SearchReply reply = run.api.search(new OspreyLogApi.Search(Term.COMMON.text, null, null, null,
                    1, PAGE_SIZE, cursor));
            if (!reply.ok() || reply.nextCursor() == null) {
                throw new IllegalStateException("cursor walk to page " + page + ": page " + p + " answered HTTP "
                        + reply.status() + " without a nextCursor: " + OspreyIngest.abbreviate(reply.body()));
            }
            cursor = reply.nextCursor();
        }
        return cursor;
    }

    /**
     * Runs {@code warmup} unmeasured then {@code repetitions} measured rounds; within a round the engines and the two
     * floors run one after the other, starting with a different one each round. A PostgreSQL engine whose time in
     * these rounds (warm-up included) passes the budget runs no more warm-up, and no more measured rounds once it has
     * {@link #MIN_MEASURED}: its {@code n} says how many it ran, {@code over_budget} names it.
     */
    private QueryStats measure(String name, int warmup, int repetitions, IntFunction<Round> rounds) throws Exception {
        Log.info("queries %s: %d warm-up + %d measured repetitions", name, warmup, repetitions);
        QueryStats stats = new QueryStats();
        CpuUsage.Snapshot cpuBefore = CpuUsage.snapshot(jvms());
        Map<String, Long> spent = new HashMap<>();
        Map<String, Integer> measured = new HashMap<>();
        Map<String, Probe> floors = floors();
        for (int r = -warmup; r < repetitions; r++) {
            Round round = rounds.apply(r);
            List<String> order = new ArrayList<>();
            for (String engine : round.probes().keySet()) {
                boolean overBudget = spent.getOrDefault(engine, 0L) > budgetNanos
                        && (r < 0 || measured.getOrDefault(engine, 0) >= MIN_MEASURED);
                if (engine.equals(OSPREY) || !overBudget) {
                    order.add(engine);
                } else if (stats.overBudget(engine)) {
                    Log.info("queries %s: %s is over its %d s budget after %d measured repetitions; left out of the"
                            + " rest", name, engine, budgetNanos / 1_000_000_000L, measured.getOrDefault(engine, 0));
                }
            }
            Map<String, Probe> probes = new LinkedHashMap<>(round.probes());
            probes.putAll(floors);
            order.addAll(floors.keySet());
            Collections.rotate(order, Math.floorMod(r, order.size()));
            Map<String, Hits> hits = new LinkedHashMap<>();
            lastServerNanos = -1;
            for (String engine : order) {
                long begin = System.nanoTime();
                hits.put(engine, probes.get(engine).run());
                spent.merge(engine, System.nanoTime() - begin, Long::sum);
            }
            if (r < 0) {
                continue;
            }
            for (String floor : floors.keySet()) {
                stats.record(floor, hits.remove(floor), true);
            }
            for (String engine : round.probes().keySet()) {
                if (!hits.containsKey(engine)) {
                    continue;
                }
                boolean agrees = round.check().agrees(hits.get(engine), hits);
                if (!agrees && loggedDisagreements++ < 10) {
                    Log.info("queries %s #%d: %s disagrees: %s returned %d lines %s, osprey %d lines %s", name, r,
                            engine, engine, hits.get(engine).returned(), abbreviate(hits.get(engine).timestamps()),
                            hits.get(OSPREY).returned(), abbreviate(hits.get(OSPREY).timestamps()));
                }
                stats.record(engine, hits.get(engine), agrees);
                measured.merge(engine, 1, Integer::sum);
                if (engine.equals(OSPREY) && lastServerNanos >= 0) {
                    Hits http = hits.get(OSPREY);
                    stats.record(QueryStats.SERVER, new Hits(lastServerNanos, http.timestamps(), http.returned(),
                            http.total()), agrees);
                }
            }
        }
        stats.cpu(CpuUsage.between(cpuBefore, CpuUsage.snapshot(jvms())));
        StringBuilder summary = new StringBuilder();
        for (String engine : List.of(OSPREY, QueryStats.SERVER, OSPREY_PAGE, TSVECTOR, KESTRA, ILIKE, HTTP_FLOOR,
                JDBC_FLOOR)) {
            LatencySummary s = stats.summary(engine);
            if (s != null) {
                summary.append(String.format(" %s p50 %.2f p99 %.2f ms (n %d);", engine, s.p50(), s.p99(),
                        s.count()));
            }
        }
        Log.info("queries %s:%s", name, summary);
        return stats;
    }

    /**
     * The query side's actuator ping through the same HTTP client as the searches, and {@code SELECT 1} on the tsvector
     * shape's connection: what a request costs on this machine before any engine does any work.
     */
    private Map<String, Probe> floors() {
        Map<String, Probe> floors = new LinkedHashMap<>();
        floors.put(HTTP_FLOOR, () -> new Hits(run.api.ping(), List.of(), 0, -1));
        floors.put(JDBC_FLOOR, tsvector::selectOne);
        return floors;
    }

    /** Walks from page 1 to {@code page} following nextCursor, {@link #cursorWalks} times. */
    private ObjectNode cursorWalks(int page, Hits expected) throws Exception {
        Histogram perPage = LatencySummary.newHistogram();
        List<Double> walkMillis = new ArrayList<>();
        int agreeing = 0;
        for (int w = 0; w < cursorWalks; w++) {
            long begin = System.nanoTime();
            String cursor = null;
            OspreyLogApi.SearchReply reply = null;
            for (int p = 1; p <= page; p++) {
                reply = run.api.search(new OspreyLogApi.Search(Term.COMMON.text, null, null, null, 1, PAGE_SIZE, cursor));
                if (!reply.ok()) {
                    throw new IllegalStateException("cursor walk, page " + p + ": HTTP " + reply.status() + " "
                            + OspreyIngest.abbreviate(reply.body()));
                }
                LatencySummary.recordNanos(perPage, reply.latencyNanos());
                cursor = reply.nextCursor();
                if (cursor == null && p < page) {
                    throw new IllegalStateException("cursor walk: no nextCursor after page " + p + " of " + page);
                }
            }
            walkMillis.add((System.nanoTime() - begin) / 1e6);
            if (sorted(reply.timestamps()).equals(sorted(expected.timestamps()))) {
                agreeing++;
            }
            Log.info("cursor walk %d: %d pages in %.0f ms", w + 1, page, walkMillis.get(walkMillis.size() - 1));
        }
        ObjectNode node = JsonLine.object();
        node.put("walks", cursorWalks);
        node.put("pages_per_walk", page);
        ObjectNode walk = node.putObject("walk_ms");
        JsonLine.put(walk, "p50", Stats.median(walkMillis));
        JsonLine.put(walk, "max", Collections.max(walkMillis));
        node.set("per_page_ms", JsonLine.latency(LatencySummary.of(perPage)));
        node.put("last_page_agrees_with_tsvector", agreeing);
        return node;
    }

    private Hits ospreySearch(OspreyLogApi.Search search) throws Exception {
        OspreyLogApi.SearchReply reply = run.api.search(search);
        lastServerNanos = reply.serverNanos();
        if (!reply.ok()) {
            throw new IllegalStateException("GET /logs/search " + search + ": HTTP " + reply.status() + " "
                    + OspreyIngest.abbreviate(reply.body()));
        }
        return new Hits(reply.latencyNanos(), reply.timestamps(), reply.timestamps().size(), reply.total());
    }

    private static List<Instant> sorted(List<Instant> timestamps) {
        List<Instant> copy = new ArrayList<>(timestamps);
        Collections.sort(copy);
        return copy;
    }

    private static String abbreviate(List<Instant> timestamps) {
        return timestamps.size() <= 3 ? timestamps.toString()
                : "[" + timestamps.get(0) + ", ..., " + timestamps.get(timestamps.size() - 1) + "]";
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
