package io.hookbridge.support;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

/** An H2 file database standing in for the shared (PostgreSQL) database in tests of the SQL stores. */
public final class H2Database {

    private H2Database() { }

    public static HikariDataSource open(Path dir) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:file:" + dir.resolve("shared").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUsername("sa");
        dataSource.setPassword("");
        return dataSource;
    }
}
