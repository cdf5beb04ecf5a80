package io.flinkjobrunner.engine;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
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

    private SharedMiniCluster(MiniCluster miniCluster) {
        this.miniCluster = miniCluster;
    }

    static SharedMiniCluster start(int taskSlots) throws Exception {
        MiniClusterConfiguration configuration = new MiniClusterConfiguration.Builder()
                .setConfiguration(new Configuration())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(taskSlots)
                .withRandomPorts()
                .build();
        MiniCluster miniCluster = new MiniCluster(configuration);
        miniCluster.start();
        return new SharedMiniCluster(miniCluster);
    }

    /** Configuration entries that route a table environment's jobs to this cluster. */
    void configure(Configuration configuration) {
        configuration.set(DeploymentOptions.TARGET, EXECUTION_TARGET);
        configuration.set(DeploymentOptions.ATTACHED, true);
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

    @Override
    public void close() throws Exception {
        miniCluster.close();
    }
}
