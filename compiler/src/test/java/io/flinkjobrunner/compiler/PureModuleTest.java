package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiler module is pure by construction: no engine, broker, framework or cluster client is on its class path,
 * so its code cannot use one (it would not compile) and its tests, which run every compiler path, would fail at the
 * first class a path loaded from them (as the UDF class literals once did).
 */
class PureModuleTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "org.apache.flink.table.api.TableEnvironment",
        "org.apache.flink.table.functions.ScalarFunction",
        "org.apache.kafka.clients.producer.KafkaProducer",
        "io.quarkus.runtime.Quarkus",
        "io.fabric8.kubernetes.client.KubernetesClient",
        "jakarta.ws.rs.Path",
        "org.postgresql.Driver"})
    void noAdapterIsOnTheClassPath(String className) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(className));
    }
}
