package io.oasis.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/**
 * A real SQL backend for parts made from Camel endpoints: H2 in memory, table {@code stock}, and a function
 * {@code backend_gate()} each query calls, through which a test makes the database fail, answer slowly, or hold
 * its answer until something else has happened (to see what ran meanwhile).
 */
public final class InventoryDatabase {

    /** The query fails with an SQLException. */
    public static volatile boolean failing;
    /** The query takes at least this long. */
    public static volatile long delayMillis;
    /** The query waits (at most 2 s) until this holds; null: it does not wait. */
    public static volatile BooleanSupplier holdUntil;
    /** Whether {@link #holdUntil} held before the query answered. */
    public static volatile boolean held;

    private static volatile DataSource source;
    private static volatile boolean tableGone;

    private InventoryDatabase() {
    }

    /** Healthy and fast again. */
    public static void healthy() {
        failing = false;
        delayMillis = 0;
        holdUntil = null;
        held = false;
        if (tableGone) {
            execute("alter table stock_gone rename to stock");
            tableGone = false;
        }
    }

    /** Every query of the stock table fails, whatever it calls (the table is renamed away). */
    public static void tableGone() {
        execute("alter table stock rename to stock_gone");
        tableGone = true;
    }

    private static void execute(String sql) {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DataSource create() {
        JdbcDataSource created = new JdbcDataSource();
        created.setURL("jdbc:h2:mem:inventory;DB_CLOSE_DELAY=-1");
        source = created;
        try (Connection c = created.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists stock (user_id varchar(12), sku varchar(20), quantity int)");
            s.execute("delete from stock");
            s.execute("insert into stock values ('42', 'sku-1', 3), ('42', 'sku-2', 0), ('7', 'sku-9', 12)");
            s.execute("create alias if not exists backend_gate for \"" + InventoryDatabase.class.getName()
                    + ".gate\"");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return created;
    }

    /** Called by every query, on the thread that runs it: the database's behaviour as the test set it. */
    public static int gate() throws SQLException {
        if (failing) {
            throw new SQLException("inventory is down");
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left); // a slow database: this thread is held, as a JDBC call holds it
        }
        BooleanSupplier condition = holdUntil;
        if (condition != null) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!condition.getAsBoolean() && System.nanoTime() < end) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            held = condition.getAsBoolean();
        }
        return 0;
    }
}
