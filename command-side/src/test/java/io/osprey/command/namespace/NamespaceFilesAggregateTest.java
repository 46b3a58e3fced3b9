package io.osprey.command.namespace;

import io.osprey.command.namespace.NamespaceFileCommands.CreateNamespaceDirectory;
import io.osprey.command.namespace.NamespaceFileCommands.DeleteNamespaceFile;
import io.osprey.command.namespace.NamespaceFileCommands.MoveNamespaceFile;
import io.osprey.command.namespace.NamespaceFileCommands.WriteNamespaceFile;
import io.osprey.events.namespace.NamespaceDirectoryCreated;
import io.osprey.events.namespace.NamespaceFileDeleted;
import io.osprey.events.namespace.NamespaceFileMoved;
import io.osprey.events.namespace.NamespaceFileWritten;
import io.osprey.events.namespace.NamespacePath;
import io.osprey.events.validation.InvalidInputException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

class NamespaceFilesAggregateTest {

    private static final NamespaceFilesKey FILES = new NamespaceFilesKey("main", "company.team");
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private static final String SHA = "0f".repeat(32);

    private FixtureConfiguration<NamespaceFilesAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(NamespaceFilesAggregate.class);
    }

    private static NamespacePath path(String raw) {
        return NamespacePath.parse("path", raw);
    }

    private static String uri(String name) {
        return "osprey:///main/company.team/_files/" + name;
    }

    private static WriteNamespaceFile write(String path, String blob) {
        return new WriteNamespaceFile(FILES, path(path), uri(blob), 3, SHA, T1);
    }

    private static NamespaceFileWritten written(String path, int revision, String blob, Instant at) {
        return new NamespaceFileWritten("main", "company.team", path, revision, 3, SHA, uri(blob), at);
    }

    private static NamespaceDirectoryCreated directory(String path, Instant at) {
        return new NamespaceDirectoryCreated("main", "company.team", path, at);
    }

    private static MoveNamespaceFile move(String from, String to) {
        return new MoveNamespaceFile(FILES, path(from), path(to), T1);
    }

    private static NamespaceFileMoved moved(String from, String to, boolean directory) {
        return new NamespaceFileMoved("main", "company.team", from, to, directory, T1);
    }

    private static DeleteNamespaceFile delete(String path) {
        return new DeleteNamespaceFile(FILES, path(path), T1);
    }

    /** A tree with /scripts/etl.py at revision 2, /scripts/lib/util.py at 1, and the file /readme.md. */
    private static Object[] tree() {
        return new Object[]{
                directory("/scripts", T0), written("/scripts/etl.py", 1, "b1", T0), written("/scripts/etl.py", 2, "b2", T0),
                directory("/scripts/lib", T0), written("/scripts/lib/util.py", 1, "b3", T0), written("/readme.md", 1, "b4", T0)};
    }

    private static Matcher<PathConflictException> conflict(String field, String rule) {
        return new CustomTypeSafeMatcher<>("a conflict on " + field + " breaking " + rule) {
            @Override
            protected boolean matchesSafely(PathConflictException e) {
                return e.field().equals(field) && e.rule().equals(rule);
            }
        };
    }

    private static Matcher<PathNotFoundException> notFound(String field) {
        return new CustomTypeSafeMatcher<>("a missing " + field) {
            @Override
            protected boolean matchesSafely(PathNotFoundException e) {
                return e.field().equals(field);
            }
        };
    }

    @Test
    void theFirstUploadCreatesTheNamespaceItsDirectoriesAndRevisionOne() {
        fixture.givenNoPriorActivity()
                .when(write("/a/b/c.txt", "b1"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(directory("/a", T1), directory("/a/b", T1), written("/a/b/c.txt", 1, "b1", T1))
                .expectResultMessagePayload(2L);
    }

    @Test
    void aRevisionIsNeverDatedBeforeTheOneBeforeIt() {
        // the command was taken at T0, then waited while another write took the tree and dated its revision T1
        Instant later = T1.plusMillis(5);
        fixture.given(written("/a.txt", 1, "b1", later))
                .when(new WriteNamespaceFile(FILES, path("/b/a.txt"), uri("b2"), 3, SHA, T1))
                .expectEvents(directory("/b", later), written("/b/a.txt", 1, "b2", later));
    }

    @Test
    void eachUploadOfAFileIsItsNextRevision() {
        fixture.given(tree())
                .when(write("/scripts/etl.py", "b9"))
                .expectEvents(written("/scripts/etl.py", 3, "b9", T1));
    }

    @Test
    void aFileIsNotWrittenWhereADirectoryIs() {
        fixture.given(tree())
                .when(write("/scripts/lib", "b9"))
                .expectNoEvents()
                .expectException(conflict("path", "is-directory"));
    }

    @Test
    void aFileIsNotWrittenBelowAFile() {
        fixture.given(tree())
                .when(write("/readme.md/notes.txt", "b9"))
                .expectNoEvents()
                .expectException(conflict("path", "parent-is-file"));
        fixture.given(tree())
                .when(write("/readme.md/deep/notes.txt", "b9"))
                .expectNoEvents()
                .expectException(conflict("path", "parent-is-file"));
    }

    @Test
    void aDirectoryIsCreatedWithTheMissingDirectoriesAboveIt() {
        fixture.given(tree())
                .when(new CreateNamespaceDirectory(FILES, path("/scripts/new/deeper"), T1))
                .expectEvents(directory("/scripts/new", T1), directory("/scripts/new/deeper", T1));
        fixture.givenNoPriorActivity()
                .when(new CreateNamespaceDirectory(FILES, path("/data"), T1))
                .expectEvents(directory("/data", T1))
                .expectResultMessagePayload(0L);
    }

    @Test
    void aDirectoryIsNotCreatedWhereSomethingIsOrBelowAFile() {
        fixture.given(tree())
                .when(new CreateNamespaceDirectory(FILES, path("/scripts/lib"), T1))
                .expectNoEvents().expectException(conflict("path", "exists"));
        fixture.given(tree())
                .when(new CreateNamespaceDirectory(FILES, path("/readme.md"), T1))
                .expectNoEvents().expectException(conflict("path", "exists"));
        fixture.given(tree())
                .when(new CreateNamespaceDirectory(FILES, path("/readme.md/x"), T1))
                .expectNoEvents().expectException(conflict("path", "parent-is-file"));
        fixture.givenNoPriorActivity()
                .when(new CreateNamespaceDirectory(FILES, NamespacePath.ROOT, T1))
                .expectNoEvents().expectException(conflict("path", "exists"));
    }

    @Test
    void aMovedFileKeepsItsRevisionsAndGetsTheMissingDirectoriesAboveIt() {
        fixture.given(tree())
                .when(move("/scripts/etl.py", "/jobs/daily/etl.py"))
                .expectEvents(directory("/jobs", T1), directory("/jobs/daily", T1),
                        moved("/scripts/etl.py", "/jobs/daily/etl.py", false));
        fixture.given(tree()).andGiven(moved("/scripts/etl.py", "/jobs-etl.py", false))
                .when(write("/jobs-etl.py", "b9"))
                .expectEvents(written("/jobs-etl.py", 3, "b9", T1));
    }

    @Test
    void aMovedDirectoryTakesItsWholeSubtreeAndNothingElse() {
        fixture.given(tree()).andGiven(directory("/scripts-old", T0), written("/scripts.md", 1, "b5", T0))
                .when(move("/scripts", "/code"))
                .expectEvents(moved("/scripts", "/code", true));
        Object[] movedTree = {moved("/scripts", "/code", true)};
        fixture.given(tree()).andGiven(movedTree)
                .when(write("/code/lib/util.py", "b9"))
                .expectEvents(written("/code/lib/util.py", 2, "b9", T1));
        fixture.given(tree()).andGiven(movedTree)
                .when(write("/scripts/etl.py", "b9"))
                .expectEvents(directory("/scripts", T1), written("/scripts/etl.py", 1, "b9", T1));
        fixture.given(tree()).andGiven(directory("/scripts-old", T0)).andGiven(movedTree)
                .when(move("/scripts-old", "/old"))
                .expectEvents(moved("/scripts-old", "/old", true));
    }

    @Test
    void aMoveNeedsAnExistingSourceAndAFreeTargetOutsideIt() {
        fixture.given(tree()).when(move("/nothing", "/x"))
                .expectNoEvents().expectException(notFound("from"));
        fixture.given(tree()).when(move("/scripts/etl.py", "/readme.md"))
                .expectNoEvents().expectException(conflict("to", "exists"));
        fixture.given(tree()).when(move("/scripts/etl.py", "/scripts/etl.py"))
                .expectNoEvents().expectException(conflict("to", "exists"));
        fixture.given(tree()).when(move("/scripts", "/scripts/lib/scripts"))
                .expectNoEvents().expectException(conflict("to", "into-itself"));
        fixture.given(tree()).when(move("/scripts/etl.py", "/readme.md/etl.py"))
                .expectNoEvents().expectException(conflict("to", "parent-is-file"));
    }

    @Test
    void aMoveThatWouldMakeAPathTooLongIsRefused() {
        String deep = ("/" + "d".repeat(200)).repeat(5) + "/" + "e".repeat(10); // 1016 bytes: "/lib/util.py" below it would not fit
        fixture.given(tree()).when(move("/scripts", deep))
                .expectNoEvents()
                .expectException(InvalidInputException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("to must be at most 1024 bytes"));
    }

    @Test
    void aDeletedFileOrDirectoryIsGoneWithEverythingBelowIt() {
        fixture.given(tree())
                .when(delete("/scripts/etl.py"))
                .expectEvents(new NamespaceFileDeleted("main", "company.team", "/scripts/etl.py", false, T1));
        fixture.given(tree())
                .when(delete("/scripts"))
                .expectEvents(new NamespaceFileDeleted("main", "company.team", "/scripts", true, T1));
        Object deleted = new NamespaceFileDeleted("main", "company.team", "/scripts", true, T1);
        fixture.given(tree()).andGiven(deleted)
                .when(delete("/scripts/lib/util.py"))
                .expectNoEvents().expectException(notFound("path"));
        fixture.given(tree()).andGiven(deleted)
                .when(write("/scripts/etl.py", "b9"))
                .expectEvents(directory("/scripts", T1), written("/scripts/etl.py", 1, "b9", T1));
        fixture.given(tree()).andGiven(deleted)
                .when(write("/readme.md", "b9"))
                .expectEvents(written("/readme.md", 2, "b9", T1));
    }

    @Test
    void deletingOrMovingInAnUntouchedNamespaceFindsNothing() {
        fixture.givenNoPriorActivity().when(delete("/a")).expectNoEvents().expectException(notFound("path"));
        fixture.givenNoPriorActivity().when(move("/a", "/b")).expectNoEvents().expectException(notFound("from"));
    }
}
