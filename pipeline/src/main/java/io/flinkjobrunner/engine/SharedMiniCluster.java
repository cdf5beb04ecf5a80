package io.flinkjobrunner.engine;

import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One Flink MiniCluster shared by every job of the local engine, and the executor that submits table jobs to it.
 *
 * <p>Flink's default local executor starts a MiniCluster per job; sharing one makes repeated simulations cheap and
 * lets long-running deployments live next to them.
 */
final class SharedMiniCluster implements PipelineExecutorServiceLoader, PipelineExecutorFactory, PipelineExecutor,
        AutoCloseable {

    /** Value of {@code execution.target} that selects this executor. */
    static final String EXECUTION_TARGET = "fjr-local-engine";

    private final MiniCluster miniCluster;
    /** An empty directory given to every job as its class path; see {@link #configure}. */
    private final Path emptyClasspath;

    private SharedMiniCluster(MiniCluster miniCluster, Path emptyClasspath) {
        this.miniCluster = miniCluster;
        this.emptyClasspath = emptyClasspath;
    }

    static SharedMiniCluster start(int taskSlots) throws Exception {
        MiniClusterConfiguration configuration = new MiniClusterConfiguration.Builder()
                .setConfiguration(new Configuration())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(taskSlots)
                .withRandomPorts()
                .build();
        Path emptyClasspath = Files.createTempDirectory("fjr-flink-classpath");
        MiniCluster miniCluster = new MiniCluster(configuration);
        miniCluster.start();
        return new SharedMiniCluster(miniCluster, emptyClasspath);
    }

    /**
     * Configuration entries that route a table environment's jobs to this cluster.
     *
     * <p>Every job also gets an empty directory as its class path. Flink's JobManager deserializes a job that has
     * neither jars nor class path entries with the <em>system</em> class loader (BlobLibraryCacheManager's
     * "wraps system class loader" shortcut). Where Flink itself was loaded by another class loader, as in the Quarkus
     * service, the system class loader does not know Flink's classes and submission fails with a ClassCastException or
     * ClassNotFoundException; with one class path entry Flink builds a user-code class loader whose parent is the class
     * loader that loaded Flink.
     */
    void configure(Configuration configuration) {
        configuration.set(DeploymentOptions.TARGET, EXECUTION_TARGET);
        configuration.set(DeploymentOptions.ATTACHED, true);
        try {
            configuration.set(PipelineOptions.CLASSPATHS, List.of(emptyClasspath.toUri().toURL().toString()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("a temporary directory always has a file URL", e);
        }
    }

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
        return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
        return Stream.of(EXECUTION_TARGET);
    }

    @Override
    public String getName() {
        return EXECUTION_TARGET;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
        return EXECUTION_TARGET.equals(configuration.get(DeploymentOptions.TARGET));
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
        return this;
    }

    @Override
    public CompletableFuture<JobClient> execute(Pipeline pipeline, Configuration configuration,
            ClassLoader userCodeClassLoader) throws Exception {
        StreamGraph streamGraph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
        streamGraph.serializeUserDefinedInstances();
        return miniCluster.submitJob(streamGraph).thenApply(submission -> new MiniClusterJobClient(
                submission.getJobID(), miniCluster, userCodeClassLoader,
                MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
    }

    /** The execution graph of a job: its state, the state of every task and the failure, if any. */
    CompletableFuture<AccessExecutionGraph> executionGraph(JobID job) {
        return miniCluster.getExecutionGraph(job).thenApply(graph -> graph);
    }

    @Override
    public void close() throws Exception {
        try {
            miniCluster.close();
        } finally {
            Files.deleteIfExists(emptyClasspath);
        }
    }
}
