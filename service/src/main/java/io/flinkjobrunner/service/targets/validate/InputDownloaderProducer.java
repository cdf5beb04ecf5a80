package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.inputs.DownloadConfig;
import io.flinkjobrunner.service.inputs.HostAllowList;
import io.flinkjobrunner.service.inputs.InputDownloader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/** The one {@link InputDownloader} of the service, configured from {@code runner.download.*}. */
@ApplicationScoped
public class InputDownloaderProducer {

    @Produces
    @Singleton
    InputDownloader downloader(RunnerConfig config) {
        RunnerConfig.Download d = config.download();
        HostAllowList allow = HostAllowList.parse(d.allowHosts().orElse(List.of()));
        return new InputDownloader(new DownloadConfig(d.maxBytes(), d.connectTimeout(), d.readTimeout(),
                d.totalTimeout(), d.maxRedirects(), allow, null));
    }

    void close(@Disposes InputDownloader downloader) {
        downloader.close();
    }
}
