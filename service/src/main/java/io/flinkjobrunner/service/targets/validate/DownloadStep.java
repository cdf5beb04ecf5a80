package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.service.inputs.DownloadedInput;
import io.flinkjobrunner.service.inputs.InputDownloadException;
import io.flinkjobrunner.service.inputs.InputDownloader;
import io.flinkjobrunner.service.secrets.UrlRedaction;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.InputFiles;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Downloads the job's inputs into its workspace with the hardened {@link InputDownloader} (SSRF guard, size cap,
 * timeouts, redirect checks, sha256), then forgets the full URLs: from here on the run uses only redacted ones (the
 * encrypted copy in the database is erased when the job ends; an attempt resumed elsewhere downloads again).
 */
@ApplicationScoped
public class DownloadStep implements Step {

    /** Input name -> file name in the workspace, in download order. */
    static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("knowledge", ValidateKeys.KNOWLEDGE_FILE);
        FILES.put("shacl", ValidateKeys.SHAPES_FILE);
        FILES.put("model", ValidateKeys.MODEL_FILE);
    }

    @Inject
    InputDownloader downloader;

    @Override
    public String name() {
        return "download";
    }

    @Override
    public Set<StepKey<?>> provides() {
        return Set.of(ValidateKeys.INPUTS);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        Map<String, String> urls = ctx.inputUrls();
        if (!urls.containsKey("knowledge") || !urls.containsKey("shacl")) {
            throw new StepFailedException("the input URLs of this job are no longer available (erased after an "
                    + "earlier download); submit the job again");
        }
        Path dir = ctx.workspace();
        Map<String, InputFile> downloaded = new LinkedHashMap<>();
        ctx.log().info("Downloading input files to the job workspace...");
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            String url = urls.get(f.getKey());
            if (url == null) {
                continue;
            }
            ctx.checkCancelled();
            ctx.log().info("Downloading " + f.getValue() + " from: " + UrlRedaction.redact(url));
            DownloadedInput in;
            try {
                in = downloader.download(URI.create(url), dir.resolve(f.getValue()), ctx::cancelRequested);
            } catch (InputDownloadException e) {
                if (e.reason() == InputDownloadException.Reason.CANCELLED) {
                    ctx.checkCancelled();
                }
                throw new StepFailedException("download of " + f.getValue() + " failed: " + e.getMessage());
            }
            InputFile file = new InputFile(f.getKey(), in.file(), in.bytes(), in.sha256(), in.redactedUrl());
            ctx.inputDownloaded(file);
            downloaded.put(file.name(), file);
            ctx.log().info("Downloaded " + f.getValue() + " (" + in.bytes() + " bytes, sha256 " + in.sha256() + ")");
        }
        ctx.eraseInputUrls();
        ctx.put(ValidateKeys.INPUTS, new InputFiles(downloaded));
        ctx.log().info("All input files ready");
    }
}
