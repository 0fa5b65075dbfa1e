package dev.rowan.userdb;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One small connection pool per user database, created on first use and closed when the database is
 * removed. A database that goes away only fails its own requests; the pool reconnects by itself.
 */
final class Pools implements AutoCloseable {
    private final Map<Long, HikariDataSource> pools = new ConcurrentHashMap<>();

    /** The database's pool if it is open already: no need to decrypt its password again to get it. */
    HikariDataSource find(long id) {
        return pools.get(id);
    }

    HikariDataSource get(long id, ConnectionSpec spec) {
        return pools.computeIfAbsent(id, key -> {
            HikariConfig config = new HikariConfig();
            config.setPoolName("rowan-db-" + id);
            config.setJdbcUrl(spec.jdbcUrl());
            config.setDataSourceProperties(spec.properties(3));
            config.setMaximumPoolSize(4);
            config.setMinimumIdle(0);
            config.setIdleTimeout(60_000);
            config.setConnectionTimeout(3_000);
            config.setInitializationFailTimeout(-1);
            config.setExceptionOverrideClassName(KeepOnStatementErrors.class.getName());
            return new HikariDataSource(config);
        });
    }

    void close(long id) {
        HikariDataSource pool = pools.remove(id);
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * HikariCP counts SQLSTATE 0A000 (feature not supported) as a broken connection and closes it,
     * though PostgreSQL raises it for an ordinary refused statement (e.g. altering a column a view
     * reads) on a healthy connection. Closing it would leave the caller unable to roll back and
     * explain the failure; connection-class errors (08xxx, shutdown) are still evicted.
     */
    public static final class KeepOnStatementErrors implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return "0A000".equals(e.getSQLState()) ? Override.DO_NOT_EVICT : Override.CONTINUE_EVICT;
        }
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
