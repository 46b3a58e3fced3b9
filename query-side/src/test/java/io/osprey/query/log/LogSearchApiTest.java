package io.osprey.query.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.events.log.LogsDeleted;
import io.osprey.query.QuerySide;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;

/** Log search over real HTTP, on lines published to the event store the way command-side publishes them. */
class LogSearchApiTest {

    private static final Instant DAY1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T10:00:00Z");
    private static QuerySide querySide;
    private static long position;

    @BeforeAll
    static void start() {
        // one partition open at a time: every search here opens the days it reads again, as the indexer closes them
        querySide = QuerySide.start("--osprey.logs.index.open-partitions=1");
        List<LogLine> lines = new ArrayList<>();
        lines.add(line("company.team", "exec1", "extract", LogLevel.INFO, DAY1, "Fetched s3://bucket/exports/part-1.csv in 12 ms"));
        lines.add(line("company.team", "exec1", "extract", LogLevel.ERROR, DAY1.plusSeconds(1),
                "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"value\" is null"));
        lines.add(line("company.team.data", "exec2", "load", LogLevel.WARN, DAY1.plusSeconds(2), "Upstream answered HTTP 503, retrying"));
        lines.add(line("company.team", "exec1", "load", LogLevel.INFO, DAY2, "Loaded row_count=1234 rows into analytics.events"));
        lines.add(line("company.other", "exec3", "load", LogLevel.DEBUG, DAY2.plusSeconds(5), "Loaded row_count=99 rows"));
        querySide.publish(batch("main", lines));
        position = querySide.publish(batch("acme", List.of(
                line("company.team", "exec9", "extract", LogLevel.ERROR, DAY1, "java.lang.NullPointerException in tenant acme"))));
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    private static JsonNode search(String query) {
        Reply reply = querySide.getAt("/api/v1/main/logs/search?" + query, position);
        return reply.json();
    }

    private static List<String> messages(JsonNode page) {
        List<String> messages = new ArrayList<>();
        page.get("results").forEach(entry -> messages.add(entry.get("message").asText()));
        return messages;
    }

    private static String q(String text) {
        return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void findsIdentifiersPathsErrorCodesAndNumbers() {
        assertThat(messages(search(q("java.lang.NullPointerException")))).singleElement().asString().startsWith("java.lang");
        assertThat(messages(search(q("NullPointerException")))).hasSize(1);
        assertThat(messages(search(q("s3://bucket/exports/part-1.csv")))).hasSize(1);
        assertThat(messages(search(q("\"HTTP 503\"")))).hasSize(1);
        assertThat(messages(search(q("row_count=1234")))).singleElement().asString().contains("1234");
        assertThat(messages(search(q("row_count")))).hasSize(2);
        assertThat(messages(search(q("Null*")))).hasSize(1);
        assertThat(messages(search(q("\"s3://bucket/exports/par*\"")))).hasSize(1);
        assertThat(messages(search(q("loaded -analytics")))).singleElement().asString().contains("99");
    }

    @Test
    void neverCrossesTheTenant() {
        JsonNode page = search(q("NullPointerException tenant acme"));
        assertThat(page.get("results")).isEmpty();
        assertThat(search(q("\"tenant acme\"")).get("total").asLong()).isZero();
    }

    @Test
    void filtersByNamespacePrefixLevelAndTime() {
        assertThat(messages(search("namespace=company.team"))).hasSize(4);
        assertThat(messages(search("namespace=company.team.data"))).hasSize(1);
        assertThat(messages(search("namespace=company.tea"))).isEmpty();
        assertThat(messages(search("minLevel=warn"))).hasSize(2);
        assertThat(messages(search("startDate=2026-11-21T00:00:00Z"))).hasSize(2);
        assertThat(messages(search("startDate=2026-11-20T10:00:01Z&endDate=2026-11-20T10:00:02Z"))).hasSize(2);
        assertThat(messages(search("executionId=exec1&taskId=load"))).hasSize(1);
    }

    @Test
    void aWindowBoundFinerThanAMicrosecondFallsBetweenTheMicrosecondsLinesAreKeptTo() {
        assertThat(messages(search("executionId=exec1&startDate=2026-11-20T10:00:00.000000500Z"))).hasSize(2);
        assertThat(messages(search("executionId=exec1&endDate=2026-11-20T10:00:00.000000500Z"))).hasSize(1);
        assertThat(messages(search("executionId=exec1&endDate=2026-11-20T09:59:59.999999500Z"))).isEmpty();
    }

    @Test
    void aBoundIsReadAsALineTimestampIsTheEndOfADayAndAMissingSecondIncluded() {
        assertThat(messages(search("startDate=2026-11-20T24:00:00Z"))).hasSize(2);
        assertThat(messages(search("startDate=2026-11-21T00:00Z"))).hasSize(2);
        Reply refused = querySide.http().get("/api/v1/main/logs/search?startDate=2026-11-20T10:00:01.Z");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("startDate").contains("date-time");
    }

    @Test
    void aWindowMayReachAsFarAsADateGoes() {
        long all = search("").get("total").asLong();

        assertThat(search("startDate=-999999999-01-01T00:00:00Z").get("total").asLong()).isEqualTo(all);
        assertThat(search("endDate=%2B999999999-12-31T23:59:59Z").get("total").asLong()).isEqualTo(all);
        // with these offsets the instants lie beyond the first and the last day a date can hold
        assertThat(search("endDate=%2B999999999-12-31T23:59:59-18:00").get("total").asLong()).isEqualTo(all);
        assertThat(search("startDate=-999999999-01-01T00:00:00%2B18:00").get("total").asLong()).isEqualTo(all);
        assertThat(search("startDate=-999999999-01-01T00:00:00Z&endDate=-999999999-01-02T00:00:00Z")
                .get("total").asLong()).isZero();
    }

    @Test
    void reportsTheSearchsOwnTimeInServerTiming() {
        Reply reply = querySide.getAt("/api/v1/main/logs/search?" + q("row_count"), position);
        assertThat(reply.header("Server-Timing")).matches("search;dur=\\d+\\.\\d{3}");
    }

    @Test
    void sortsNewestFirstAndPagesByOffsetAndCursor() {
        JsonNode first = search("size=2");
        assertThat(first.get("total").asLong()).isEqualTo(5);
        assertThat(first.get("totalExact").asBoolean()).isTrue();
        assertThat(messages(first)).containsExactly("Loaded row_count=99 rows", "Loaded row_count=1234 rows into analytics.events");
        JsonNode second = search("size=2&cursor=" + first.get("nextCursor").asText());
        assertThat(messages(second)).containsExactly(messages(search("size=2&page=2")).toArray(String[]::new));
        JsonNode oldest = search("size=1&sort=timestamp:asc");
        assertThat(messages(oldest)).singleElement().asString().startsWith("Fetched");
    }

    @Test
    void cursorsWalkEveryLineAcrossDaysInBothOrders() {
        for (String sort : List.of("timestamp:desc", "timestamp:asc")) {
            List<String> walked = new ArrayList<>();
            JsonNode page = search("size=1&sort=" + sort);
            while (true) {
                walked.addAll(messages(page));
                if (page.get("nextCursor").isNull()) {
                    break;
                }
                page = search("size=1&sort=" + sort + "&cursor=" + page.get("nextCursor").asText());
            }
            assertThat(walked).as(sort).containsExactlyElementsOf(messages(search("size=10&sort=" + sort)));
        }
    }

    @Test
    void aCursorFromBeforeTheWindowFindsNothingLeft() {
        String cursorOnTheFirstDay = search("size=4").get("nextCursor").asText();
        JsonNode page = search("size=2&startDate=2026-11-21T00:00:00Z&cursor=" + cursorOnTheFirstDay);
        assertThat(messages(page)).isEmpty();
        assertThat(page.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aPrefixIsRefusedOnlyWhenItMatchesTooManyDistinctWords() {
        // the same 300 words in five batches, each made searchable apart: in as many segments
        long at = 0;
        for (int batch = 0; batch < 5; batch++) {
            at = querySide.publish(batch("prefixes", words(0, 300)));
            Reply reply = querySide.getAt("/api/v1/prefixes/logs/search?q=pvw*", at);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("total").asLong()).isEqualTo(300L * (batch + 1));
        }

        at = querySide.publish(batch("prefixes", words(300, LogSearches.MAX_PREFIX_TERMS + 1)));
        querySide.getAt("/api/v1/prefixes/logs/search?q=pvw0", at);
        Reply broad = querySide.http().get("/api/v1/prefixes/logs/search?q=pvw*");
        assertThat(broad.status()).as(broad.body()).isEqualTo(400);
        assertThat(broad.json().get("rule").asText()).isEqualTo("prefix-too-broad");
    }

    @Test
    void aPrefixWordIsThePhraseOfItsPartsWithTheLastOneAPrefix() {
        long at = querySide.publish(batch("phrases", List.of(
                line("company.team", "exec-p", "t", LogLevel.INFO, DAY1, "java.lang.NullPointerException at line 3"),
                line("company.team", "exec-p", "t", LogLevel.INFO, DAY1, "java.lang.IllegalStateException: null pointer"),
                line("company.team", "exec-p", "t", LogLevel.INFO, DAY1, "Fetched s3://bucket/key"),
                line("company.team", "exec-p", "t", LogLevel.INFO, DAY1, "s3 outage; bucket list ok"))));

        assertThat(messages(querySide.getAt("/api/v1/phrases/logs/search?" + q("java.lang.Null*"), at).json()))
                .containsExactly("java.lang.NullPointerException at line 3");
        assertThat(messages(querySide.getAt("/api/v1/phrases/logs/search?" + q("s3://buck*"), at).json()))
                .containsExactly("Fetched s3://bucket/key");
        assertThat(messages(querySide.getAt("/api/v1/phrases/logs/search?" + q("s3://zz*"), at).json())).isEmpty();
        assertThat(messages(querySide.getAt("/api/v1/phrases/logs/search?" + q("bucket -s3://buck*"), at).json()))
                .containsExactly("s3 outage; bucket list ok");
    }

    @Test
    void aCursorPagesTotalIsWhatIsLeftAndTheLastPageHasNoCursor() {
        // ten matches, several at each of three instants: a cursor falls among lines of its own instant
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(line("company.team", "exec-c", "t", LogLevel.INFO, DAY1.plusSeconds(i < 5 ? 0 : i < 8 ? 1 : 2),
                    "needle " + i));
        }
        long at = querySide.publish(batch("cursors", lines));
        String search = "/api/v1/cursors/logs/search?q=needle&size=3";

        JsonNode page = querySide.getAt(search, at).json();
        List<Long> totals = new ArrayList<>();
        List<String> walked = new ArrayList<>();
        while (true) {
            totals.add(page.get("total").asLong());
            assertThat(page.get("totalExact").asBoolean()).isTrue();
            walked.addAll(messages(page));
            if (page.get("nextCursor").isNull()) {
                break;
            }
            page = querySide.getAt(search + "&cursor=" + page.get("nextCursor").asText(), at).json();
        }

        assertThat(totals).containsExactly(10L, 7L, 4L, 1L);
        assertThat(walked).hasSize(10).doesNotHaveDuplicates();
        JsonNode exactlyFull = querySide.getAt("/api/v1/cursors/logs/search?q=needle&size=5&page=2", at).json();
        assertThat(messages(exactlyFull)).hasSize(5);
        assertThat(exactlyFull.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aQueryWithNothingToSearchForIsNamedBesideTheOtherRefusals() {
        Reply reply = querySide.http().get("/api/v1/main/logs/search?" + q("---") + "&startDate=yesterday");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("no-terms").contains("startDate");
    }

    private static List<LogLine> words(int from, int to) {
        List<LogLine> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(line("company.words", "exec-words", "t", LogLevel.INFO, DAY1, "the word pvw" + i));
        }
        return lines;
    }

    @Test
    void qIsLimitedInCharactersNotInUtf16Units() {
        Reply atTheLimit = querySide.http().get("/api/v1/main/logs/search?" + q("\uD83D\uDE80a".repeat(500)));
        Reply overIt = querySide.http().get("/api/v1/main/logs/search?" + q("\uD83D\uDE80a".repeat(500) + "b"));

        assertThat(atTheLimit.status()).as(atTheLimit.body()).isEqualTo(200);
        assertThat(overIt.status()).isEqualTo(400);
        assertThat(overIt.json().get("detail").asText()).isEqualTo("q must be at most 1000 characters, got 1001");
    }

    @Test
    void refusesMalformedAndExpensiveQueriesWith400() {
        for (String bad : List.of(q("*exception"), q("a*"), q("\uD835\uDC00*"), q("nu*ll"), q("\"unclosed"), q("\"a*\""), q("---"), "minLevel=LOUD",
                "startDate=yesterday", "size=0", "page=0", "page=500&size=100", "cursor=bm9wZQ", "namespace=..",
                "sort=message", "position=-1", "executionId=exec1&executionId=exec2", "q=a&q=b")) {
            Reply reply = querySide.http().get("/api/v1/main/logs/search?" + bad);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.header("Content-Type")).as(bad).startsWith("application/problem+json");
        }
    }

    @Test
    void aBadlyEscapedFilterIs400NotDropped() throws IOException {
        for (String query : List.of("q=%zz", "executionId=exec%zz", "namespace=company%E0%A4")) {
            // java.net.http refuses to send such a URI; HttpURLConnection sends it as it is
            HttpURLConnection connection = (HttpURLConnection) new URL("http://localhost:" + querySide.webServer().getPort() + "/api/v1/main/logs/search?"
                    + query).openConnection();
            assertThat(connection.getResponseCode()).as(query).isEqualTo(400);
            JsonNode problem = new ObjectMapper().readTree(connection.getErrorStream());
            assertThat(problem.get("field").asText()).as(query).isEqualTo(query.substring(0, query.indexOf('=')));
            assertThat(problem.get("rule").asText()).as(query).isEqualTo("encoding");
        }
    }

    @Test
    void listsAnExecutionsLinesInTimeOrderAndDownloadsThem() {
        Reply read = querySide.getAt("/api/v1/main/logs/exec1", position);
        assertThat(read.header("Content-Type")).startsWith("application/json");
        JsonNode lines = read.json();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("message").asText()).startsWith("Fetched");
        assertThat(lines.get(2).get("taskId").asText()).isEqualTo("load");
        assertThat(querySide.getAt("/api/v1/main/logs/exec1?minLevel=ERROR", position).json()).hasSize(1);

        Reply download = querySide.http().get("/api/v1/main/logs/exec1/download");
        assertThat(download.status()).isEqualTo(200);
        assertThat(List.of(download.body().split("\n"))).hasSize(3)
                .first().isEqualTo("2026-11-20T10:00:00Z INFO [extract] Fetched s3://bucket/exports/part-1.csv in 12 ms");
    }

    @Test
    void deletedLinesDisappearAndOthersStay() {
        long appended = querySide.publish(batch("main", List.of(
                line("company.gone", "exec7", "t", LogLevel.INFO, DAY1, "to be deleted"),
                line("company.gone", "exec7", "t", LogLevel.ERROR, DAY2, "kept: an error"),
                line("company.gone", "exec8", "t", LogLevel.INFO, DAY1, "kept: another execution"))));
        assertThat(querySide.getAt("/api/v1/main/logs/search?namespace=company.gone", appended).json().get("total").asLong())
                .isEqualTo(3);

        long deleted = querySide.publish(new LogsDeleted("main", "exec7", null, null, null, null, null,
                List.of(LogLevel.INFO), null, Instant.now()));

        JsonNode page = querySide.getAt("/api/v1/main/logs/search?namespace=company.gone&sort=timestamp:asc", deleted).json();
        assertThat(messages(page)).containsExactly("kept: another execution", "kept: an error");
    }

    @Test
    void retentionDropsWholeDaysOfOneTenantOnly() {
        long appended = querySide.publish(batch("retention", List.of(
                line("ns", "old", "t", LogLevel.INFO, DAY1, "old day"),
                line("ns", "new", "t", LogLevel.INFO, DAY2, "new day, early"),
                line("ns", "new", "t", LogLevel.INFO, DAY2.plusSeconds(3600), "new day, late"))));
        querySide.getAt("/api/v1/retention/logs/search", appended);

        long deleted = querySide.publish(new LogsDeleted("retention", null, null, null, null, null, null, null,
                DAY2.plusSeconds(1), Instant.now()));

        JsonNode page = querySide.getAt("/api/v1/retention/logs/search", deleted).json();
        assertThat(messages(page)).containsExactly("new day, late");
        assertThat(querySide.bean(LogIndex.class).partitions("retention", null, null)).extracting(LogPartition::day)
                .containsExactly(LocalDate.parse("2026-11-21"));
        assertThat(messages(search("executionId=exec2"))).hasSize(1);
    }
}
