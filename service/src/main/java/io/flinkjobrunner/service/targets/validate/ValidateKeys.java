package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.service.targets.InputFiles;
import io.flinkjobrunner.service.targets.StepKey;

/** Values the validate steps hand to each other (and to the compile/deploy steps of later targets). */
public final class ValidateKeys {

    /** The downloaded inputs. */
    public static final StepKey<InputFiles> INPUTS = StepKey.of("inputs", InputFiles.class);

    /** The parsed knowledge graph ({@code knowledge.ttl}). */
    public static final StepKey<RdfDocument> KNOWLEDGE = StepKey.of("knowledge", RdfDocument.class);
    /** The parsed shapes graph ({@code shacl.ttl}). */
    public static final StepKey<RdfDocument> SHAPES = StepKey.of("shapes", RdfDocument.class);

    /** The shapes as the coverage step read them, which the compile step assembles the unit from. */
    public static final StepKey<ShaclCompiler.ReadShapes> READ_SHAPES = StepKey.of("readShapes",
            ShaclCompiler.ReadShapes.class);

    /** File names of the inputs in the workspace and in messages. */
    public static final String KNOWLEDGE_FILE = "knowledge.ttl";
    public static final String SHAPES_FILE = "shacl.ttl";
    public static final String MODEL_FILE = "model-instance.jsonld";

    private ValidateKeys() {
    }
}
