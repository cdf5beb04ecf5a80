package io.flinkjobrunner.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --knowledge} and {@code --shacl} options both commands take. */
final class KnowledgeAndShapes {

    @Option(names = "--knowledge", required = true, paramLabel = "FILE", description = "knowledge graph (Turtle)")
    Path knowledge;

    @Option(names = "--shacl", required = true, paramLabel = "FILE", description = "SHACL shapes (Turtle)")
    Path shacl;
}
