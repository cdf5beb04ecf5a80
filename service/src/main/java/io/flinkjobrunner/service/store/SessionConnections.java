package io.flinkjobrunner.service.store;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Connections of their own, outside the pool, for state that lives as long as a database session (LISTEN, session
 * advisory locks): the pool would hand such a session to other callers, or close it behind its owner's back.
 */
@ApplicationScoped
public class SessionConnections {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    /** Opens a new session with the datasource's URL and credentials plus {@code properties} (pgjdbc settings). */
    public Connection open(Map<String, String> properties) throws SQLException {
        Properties props = new Properties();
        username.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        props.putAll(properties);
        return DriverManager.getConnection(url, props);
    }
}
