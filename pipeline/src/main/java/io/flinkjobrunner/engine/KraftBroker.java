package io.flinkjobrunner.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node Kafka broker in KRaft mode (combined broker + controller) running in this JVM.
 *
 * <p>Built from the broker's own classes ({@link KafkaRaftServer} plus storage formatting) rather than Kafka's test
 * kit, so nothing test-only lands on the runtime classpath. Ports are free ports picked at start and every internal
 * topic has replication factor 1. Data lives either in a temporary directory deleted on {@link #close()} or, for the
 * service's embedded mode, in a persistent directory that a later start reuses (topics and records survive a restart;
 * only the ports change).
 */
final class KraftBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final boolean temporary;
    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KraftBroker(Path directory, boolean temporary, KafkaRaftServer server, String bootstrapServers) {
        this.directory = directory;
        this.temporary = temporary;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats storage in a fresh temporary directory, starts the node and waits until the broker serves requests. */
    static KraftBroker start(Duration readyTimeout) throws IOException {
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path directory = Files.createTempDirectory("fjr-kafka-");
            try {
                return startIn(directory, true, readyTimeout);
            } catch (RuntimeException e) {
                // a free port can be taken between probing and binding; retry on fresh ports
                lastFailure = e;
                deleteRecursively(directory);
            }
        }
        throw lastFailure;
    }

    /**
     * Starts the node on storage in {@code directory}, formatting it only the first time; {@link #close()} keeps it.
     */
    static KraftBroker startPersistent(Path directory, Duration readyTimeout) throws IOException {
        Files.createDirectories(directory);
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startIn(directory, false, readyTimeout);
            } catch (RuntimeException e) {
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    private static KraftBroker startIn(Path directory, boolean temporary, Duration readyTimeout) throws IOException {
        int brokerPort = freePort();
        int controllerPort = freePort();
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        Properties properties = new Properties();
        properties.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + host + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://"
                        + host + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", directory.resolve("data").toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // topics are scratch space of simulations: keep every record, whatever its (observedAt) timestamp
                Map.entry("log.retention.ms", "-1"),
                // every topic is created explicitly; with auto-create, any client still asking for a deleted
                // topic (a cancelled job's Kafka client closing late) would bring it back
                Map.entry("auto.create.topics.enable", "false"),
                // the default 128 MiB compaction buffer is allocated up front
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "2"),
                Map.entry("background.threads", "2")));
        KafkaConfig config = KafkaConfig.fromProps(properties, false);
        if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            format(config, directory);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrapServers = host + ":" + brokerPort;
        KraftBroker broker = new KraftBroker(directory, temporary, server, bootstrapServers);
        try {
            server.startup();
            broker.awaitReady(readyTimeout);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private static void format(KafkaConfig config, Path directory) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(config.logDirs())
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} of the broker listener. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    private void awaitReady(Duration timeout) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(properties)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker did not register within " + timeout);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("the Kafka broker did not become ready: " + e.getMessage(), e);
        }
    }

    /** Stops the node (broker first, then controller) and deletes its data unless it is persistent. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporary) {
                deleteRecursively(directory);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path root) {
        try {
            EngineDirectories.delete(root);
        } catch (IOException e) {
            // best effort: a leftover temporary directory must not turn a clean shutdown into a failure
            root.toFile().deleteOnExit();
        }
    }
}
