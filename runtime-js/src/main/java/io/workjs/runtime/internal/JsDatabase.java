package io.workjs.runtime.internal;

import io.workjs.runtime.Database;
import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.RuntimeLimits;
import io.workjs.runtime.ServiceException;
import io.workjs.runtime.db.NamedSql;
import io.workjs.runtime.db.SqlRunner;
import io.workjs.runtime.db.SqlValues;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * {@code this.db} as db.js uses it. The synchronous calls run on the loop, as WorkJS ran them;
 * the Promise calls run on a pool of {@code db_poolsize} threads behind a queue of
 * {@code dbQueueLength}, past which they fail at once with {@code DB_BUSY}. Every statement is
 * cancelled at the database after {@code dbQueryTimeoutMs}, and a synchronous one also when the
 * call watchdog stops its task. A transaction holds one connection, which its statements share
 * one at a time, until it commits, rolls back, or is rolled back after {@code dbTransactionTimeoutMs}.
 */
public final class JsDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.db");
    private static final HexFormat HEX = HexFormat.of();

    private final Database database;
    private final LoopPromises promises;
    private final Watchdog watchdog;
    private final Runnable beforeWaiting;
    private final int maxRows;
    private final long queryTimeoutMillis;
    private final long transactionTimeoutMillis;
    private final String jsonSlot;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor enders;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Integer, Transaction> transactions = new ConcurrentHashMap<>();
    private final AtomicInteger nextTransaction = new AtomicInteger();

    /** {@code beforeWaiting} runs on the loop before a query blocks it (the loop's frames go first). */
    JsDatabase(Database database, RuntimeLimits limits, LoopPromises promises, Watchdog watchdog, Runnable beforeWaiting) {
        this.database = database;
        this.promises = promises;
        this.watchdog = watchdog;
        this.beforeWaiting = beforeWaiting;
        this.maxRows = limits.get(RuntimeLimits.DB_MAX_ROWS);
        this.queryTimeoutMillis = limits.get(RuntimeLimits.DB_QUERY_TIMEOUT);
        this.transactionTimeoutMillis = limits.get(RuntimeLimits.DB_TRANSACTION_TIMEOUT);
        this.jsonSlot = database.dialect() == Database.Dialect.H2 ? "? FORMAT JSON" : "?";
        int threads = limits.get(RuntimeLimits.DB_POOL_SIZE);
        int queue = limits.get(RuntimeLimits.DB_QUEUE);
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, waiting, DaemonThreads.named("workjs-db"));
        workers.allowCoreThreadTimeOut(true);
        enders = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("workjs-db-end"));
        enders.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("workjs-db-timeout"));
        // every statement schedules its deadline and cancels it when done: without this, each
        // cancelled deadline stayed queued for dbQueryTimeoutMs (50,000 of them at 5,000 queries/s)
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs a statement now, on the loop; returns db.js's JSON. {@code tx} 0 is none. */
    @HostAccess.Export
    public String run(String sql, Value params, String mode, int tx) {
        try {
            Prepared p = prepare(sql, params);
            Transaction t = tx == 0 ? null : transaction(tx);
            return execute(p, SqlRunner.Mode.valueOf(mode), t, true);
        } catch (RuntimeException e) {
            throw promises.thrown(e, "DB_ERROR");
        }
    }

    /** The same on a pool thread: a Promise of db.js's JSON. */
    @HostAccess.Export
    public Value start(String sql, Value params, String mode, int tx) {
        Prepared p;
        Transaction t;
        try {
            p = prepare(sql, params);
            t = tx == 0 ? null : transaction(tx);
        } catch (RuntimeException e) {
            return promises.promise(CompletableFuture.failedFuture(e), "DB_ERROR");
        }
        return promises.submit(workers, () -> execute(p, SqlRunner.Mode.valueOf(mode), t, false), "DB_ERROR", "DB_BUSY");
    }

    /** Opens a transaction now, on the loop; its number for {@link #run}, {@link #start} and {@link #end}. */
    @HostAccess.Export
    public int begin() {
        try {
            return open();
        } catch (RuntimeException e) {
            throw promises.thrown(e, "DB_ERROR");
        }
    }

    /** The same on a pool thread: a Promise of the transaction's number. */
    @HostAccess.Export
    public Value beginLater() {
        return promises.submit(workers, this::open, "DB_ERROR", "DB_BUSY");
    }

    /** Commits ({@code commit}) or rolls back transaction {@code tx} now, on the loop. */
    @HostAccess.Export
    public void end(int tx, boolean commit) {
        try {
            Transaction t = transactions.remove(tx);
            if (t == null) throw over();
            t.finish(commit);
        } catch (RuntimeException e) {
            throw promises.thrown(e, "DB_ERROR");
        }
    }

    /** The same on a pool thread: a Promise settled once it is done. */
    @HostAccess.Export
    public Value endLater(int tx, boolean commit) {
        Transaction t = transactions.remove(tx);
        if (t == null) return promises.promise(CompletableFuture.failedFuture(over()), "DB_ERROR");
        return promises.submit(this::finishing, () -> {
            t.finish(commit);
            return null;
        }, "DB_ERROR", "DB_BUSY");
    }

    /**
     * Where a transaction's commit or rollback runs: threads of their own, never behind the
     * queries' queue. A commit queued behind a query that waits for a connection would wait for
     * its own connection, held by the transaction it is to end. Their queue needs no bound of
     * its own: there is at most one end per open transaction, and each holds a connection.
     */
    private void finishing(Runnable finish) {
        enders.execute(finish);
    }

    private Transaction transaction(int tx) {
        Transaction t = transactions.get(tx);
        if (t == null) throw over();
        return t;
    }

    private static ServiceException over() {
        return new ServiceException("DB_ERROR", "this transaction is over: it committed, rolled back, or ran past dbTransactionTimeoutMs and was rolled back");
    }

    /** Opens a transaction; its number. */
    private int open() {
        try {
            Connection c = database.connect();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            int id = nextTransaction.incrementAndGet();
            Transaction t = new Transaction(id, c);
            transactions.put(id, t);
            t.expiry = timer.schedule(t::expire, transactionTimeoutMillis, TimeUnit.MILLISECONDS);
            return id;
        } catch (SQLException e) {
            throw SqlRunner.failure(e);
        }
    }

    /** Runs a prepared statement on a connection of its own or its transaction's, watched by a deadline. */
    private String execute(Prepared p, SqlRunner.Mode mode, Transaction t, boolean onLoop) {
        Deadline deadline = new Deadline(onLoop);
        try {
            if (t != null) {
                synchronized (t) {
                    if (t.over) throw over();
                    return SqlRunner.run(t.connection, p.sql, p.values, mode, maxRows, deadline);
                }
            }
            try (Connection c = database.connect()) {
                return SqlRunner.run(c, p.sql, p.values, mode, maxRows, deadline);
            } catch (SQLException e) {
                throw SqlRunner.failure(e);
            }
        } catch (ServiceException e) {
            if (!deadline.cancelled) throw e;
            throw new ServiceException(e.code(), "cancelled at the database: " + deadline.why + " (" + e.getMessage() + ")", e, e.details());
        }
    }

    /** What a statement carries from the loop to wherever it runs: the JDBC text and plain Java values. */
    private record Prepared(String sql, Object[] values) {
    }

    private Prepared prepare(String sql, Value params) {
        NamedSql named;
        try {
            named = NamedSql.parse(sql, database.dialect());
        } catch (IllegalArgumentException e) {
            throw new ServiceException("DB_ERROR", e.getMessage(), null, Map.of("sqlState", "42601"));
        }
        List<String> names = named.names();
        Object[] values = new Object[names.size()];
        boolean[] json = new boolean[names.size()];
        for (int i = 0; i < values.length; i++) {
            String name = names.get(i);
            if (params == null || params.isNull() || !params.hasMember(name)) {
                throw new ServiceException("DB_ERROR", "no value for :" + name + " in the params object", null, Map.of("sqlState", "42P02"));
            }
            values[i] = value(name, params.getMember(name));
            json[i] = values[i] instanceof SqlValues.Json;
        }
        return new Prepared(named.jdbc(json, jsonSlot), values);
    }

    /** A JavaScript value as what JDBC binds; db.js has already wrapped objects as {$json} and binary as {$bytes}. */
    private static Object value(String name, Value v) {
        if (v.isNull()) return null;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isString()) return v.asString();
        if (v.isNumber()) {
            if (v.fitsInLong()) return v.asLong();
            if (v.fitsInDouble()) return v.asDouble();
            if (v.fitsInBigInteger()) return new BigDecimal(v.asBigInteger());
        }
        if (v.isInstant()) return v.asInstant();
        if (v.hasMember("$json")) return new SqlValues.Json(v.getMember("$json").asString());
        if (v.hasMember("$bytes")) return HEX.parseHex(v.getMember("$bytes").asString());
        throw new ServiceException("DB_ERROR", "cannot bind :" + name + ": " + v, null, Map.of("sqlState", "22023"));
    }

    /** Cancels a statement at the database when it runs past dbQueryTimeoutMs, or (on the loop) when the watchdog stops its task. */
    private final class Deadline implements SqlRunner.Watch, AutoCloseable {
        private final boolean onLoop;
        private ScheduledFuture<?> timeout;
        volatile boolean cancelled;
        volatile String why;

        Deadline(boolean onLoop) {
            this.onLoop = onLoop;
        }

        @Override
        public AutoCloseable running(Statement statement) {
            timeout = timer.schedule(() -> cancel(statement, "it ran past dbQueryTimeoutMs (" + queryTimeoutMillis + " ms)"),
                    queryTimeoutMillis, TimeUnit.MILLISECONDS);
            if (onLoop) {
                beforeWaiting.run();
                watchdog.blockedOn(() -> cancel(statement, "the call ran past callTimeoutMs"));
            }
            return this;
        }

        private void cancel(Statement statement, String reason) {
            try {
                if (statement.isClosed()) return;   // it ended as the cancel came
                why = reason;
                cancelled = true;
                statement.cancel();
            } catch (SQLException e) {
                LOG.warning("could not cancel a statement that " + reason + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            if (timeout != null) timeout.cancel(false);
            if (onLoop) watchdog.blockedOn(null);
        }
    }

    /** One connection, out of auto-commit, until it is finished; its statements take turns on it. */
    private final class Transaction {
        final int id;
        final Connection connection;
        volatile ScheduledFuture<?> expiry;
        boolean over;   // guarded by this

        Transaction(int id, Connection connection) {
            this.id = id;
            this.connection = connection;
        }

        synchronized void finish(boolean commit) {
            if (over) throw over();
            over = true;
            expiry.cancel(false);
            try (connection) {
                if (commit) connection.commit();
                else connection.rollback();
            } catch (SQLException e) {
                throw SqlRunner.failure(e);
            }
        }

        synchronized void expire() {
            if (over) return;
            transactions.remove(id);
            LOG.warning("a transaction ran past dbTransactionTimeoutMs (" + transactionTimeoutMillis + " ms) and was rolled back");
            over = true;
            try (connection) {
                connection.rollback();
            } catch (SQLException e) {
                LOG.warning("rolling back an expired transaction failed: " + e.getMessage());
            }
        }
    }

    /** Stops the pool threads and rolls back what is still open. Call on the loop. */
    @Override
    public void close() {
        workers.shutdownNow();
        enders.shutdownNow();
        timer.shutdownNow();
        for (Transaction t : List.copyOf(transactions.values())) t.expire();
    }
}
