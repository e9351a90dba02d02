package dev.pulse.projection;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code rule_set_versions} (SPEC §4.1): every version of the rule set, numbered 1, 2, ... in the order they
 * were made, exactly one active. Versions are made under a transaction-level advisory lock, so instances that
 * make one at the same moment (two PUTs, two starts) number them one after the other. Cold publishers that
 * error with the driver's exception.
 */
public final class RuleVersions {

    /** A stored version; {@code ruleSet} is the JSON text of its declarative form. */
    public record Stored(long version, String ruleSet, String label, String source, String changedBy, Instant changedAt,
                         boolean active) {
    }

    /** Any fixed number; named so that operators can find the lock in {@code pg_locks} ({@code objid}). */
    static final long RULE_VERSION_LOCK = 0x72756c6573L; // "rules"

    private static final String COLUMNS = "version, rule_set::text as rule_set, label, source, changed_by, changed_at, active";

    private final DatabaseClient db;
    private final TransactionalOperator transactions;

    public RuleVersions(DatabaseClient db, TransactionalOperator transactions) {
        this.db = db;
        this.transactions = transactions;
    }

    /** The active version; empty before the first one is made. */
    public Mono<Stored> active() {
        return db.sql("select " + COLUMNS + " from rule_set_versions where active").map(RuleVersions::stored).one();
    }

    /** Just the active version's number (what instances poll); empty before the first one. */
    public Mono<Long> activeNumber() {
        return db.sql("select version from rule_set_versions where active").map(row -> row.get(0, Long.class)).one();
    }

    /** Every version, newest first. */
    public Flux<Stored> all() {
        return db.sql("select " + COLUMNS + " from rule_set_versions order by version desc").map(RuleVersions::stored).all();
    }

    /** One version by its number; empty when there is none. */
    public Mono<Stored> find(long version) {
        return db.sql("select " + COLUMNS + " from rule_set_versions where version = $1").bind(0, version)
                .map(RuleVersions::stored).one();
    }

    /** Stores a new version made through the API and makes it the active one; answers it. */
    public Mono<Stored> add(String ruleSetJson, String label, String changedBy, Instant now) {
        return transactions.transactional(lock().then(insertActive(ruleSetJson, label, "api", changedBy, now)));
    }

    /**
     * Start-up (SPEC §4.1): the configured rule set becomes a new, active version when no version exists yet or
     * when it differs from the last version taken from the configuration (the operator changed {@code pulse.rules}).
     * Otherwise the active version stays, even when it was made through the API since: restarting an instance with
     * an unchanged configuration never undoes a {@code PUT /api/rules}. Answers the active version.
     */
    public Mono<Stored> syncConfigured(String ruleSetJson, String label, Instant now) {
        return transactions.transactional(lock()
                .then(db.sql("""
                                select (rule_set = $1::jsonb) as same from rule_set_versions
                                 where source = 'configuration' order by version desc limit 1""")
                        .bind(0, ruleSetJson)
                        .map(row -> Boolean.TRUE.equals(row.get("same", Boolean.class)))
                        .one()
                        .defaultIfEmpty(false))
                .flatMap(same -> same ? active() : insertActive(ruleSetJson, label, "configuration", "configuration", now)));
    }

    private Mono<Void> lock() {
        return db.sql("select pg_advisory_xact_lock($1)").bind(0, RULE_VERSION_LOCK).then();
    }

    /** Inside the caller's locked transaction: the next number, active, the previous active one no longer. */
    private Mono<Stored> insertActive(String ruleSetJson, String label, String source, String changedBy, Instant now) {
        var insert = db.sql("""
                        insert into rule_set_versions (version, rule_set, label, source, changed_by, changed_at, active)
                        select coalesce(max(version), 0) + 1, $1::jsonb, $2, $3, $4, $5, true from rule_set_versions
                        returning\s""" + COLUMNS)
                .bind(0, ruleSetJson);
        insert = Sql.bindNullable(insert, 1, label, String.class).bind(2, source).bind(3, changedBy).bind(4, now);
        return db.sql("update rule_set_versions set active = false where active").then()
                .then(insert.map(RuleVersions::stored).one());
    }

    private static Stored stored(Readable r) {
        return new Stored(r.get("version", Long.class), r.get("rule_set", String.class), r.get("label", String.class),
                r.get("source", String.class), r.get("changed_by", String.class), r.get("changed_at", Instant.class),
                Boolean.TRUE.equals(r.get("active", Boolean.class)));
    }
}
