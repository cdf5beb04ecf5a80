package io.flinkjobrunner.service.targets;

import java.util.Map;
import java.util.Optional;

/** The inputs the download step put in the job's workspace, by input name ({@code knowledge}, {@code shacl}, …). */
public record InputFiles(Map<String, InputFile> byName) {

    public InputFiles {
        byName = Map.copyOf(byName);
    }

    /** The input named {@code name}, if the job gave its URL. */
    public Optional<InputFile> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
