package io.osprey.command.api;

import io.osprey.testsupport.TestDatabase;

/**
 * Makes the database slow for one tenant's events, as a slow database would be: an event of the tenant waits for an
 * advisory lock the test may hold, at its insert or at its transaction's COMMIT.
 */
final class HeldEvents {

    private HeldEvents() {
    }

    /** Each insert of an event of {@code tenant} waits for {@code lock}. */
    static void atInsert(TestDatabase database, String tenant, long lock) {
        String function = waitingFunction(database, "hold_inserts_", tenant, lock);
        database.execute("CREATE TRIGGER " + function + " BEFORE INSERT ON domain_event_entry FOR EACH ROW"
                + " EXECUTE FUNCTION " + function + "()");
    }

    /** The COMMIT of a transaction that wrote an event of {@code tenant} waits for {@code lock} (a deferred trigger). */
    static void atCommit(TestDatabase database, String tenant, long lock) {
        String function = waitingFunction(database, "hold_commits_", tenant, lock);
        database.execute("CREATE CONSTRAINT TRIGGER " + function + " AFTER INSERT ON domain_event_entry"
                + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " + function + "()");
    }

    private static String waitingFunction(TestDatabase database, String prefix, String tenant, long lock) {
        String name = prefix + tenant;
        database.execute("""
                CREATE FUNCTION %s() RETURNS trigger AS $$
                BEGIN
                    IF convert_from(NEW.payload, 'UTF8') LIKE '%%"tenant":"%s"%%' THEN
                        PERFORM pg_advisory_xact_lock(%d);
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""".formatted(name, tenant, lock));
        return name;
    }
}
