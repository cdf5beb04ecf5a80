package io.flinkjobrunner.rdf;

import io.flinkjobrunner.memory.HeapGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.rio.ParserConfig;
import org.eclipse.rdf4j.rio.RDFParseException;
import org.eclipse.rdf4j.rio.helpers.AbstractRDFHandler;
import org.eclipse.rdf4j.rio.helpers.BasicParserSettings;
import org.eclipse.rdf4j.rio.turtle.TurtleParserSettings;

/**
 * Reads Turtle documents (knowledge graphs, SHACL shapes) into RDF4J models with precise error positions.
 *
 * <p>Hardening, and why:
 * <ul>
 *   <li>Strict UTF-8: a malformed byte is an error at its line/column instead of a silent U+FFFD that later fails a
 *       SHACL check in a confusing way. A leading byte-order mark is skipped.</li>
 *   <li>No implicit prefixes: RDF4J would otherwise resolve about 30 well-known prefixes ({@code rdf:}, {@code sh:},
 *       ...) that the document never declared; other tools reject such documents, so we do too.</li>
 *   <li>Turtle-star is off: {@code << >>} is not part of Turtle 1.1 and nothing downstream understands it.</li>
 *   <li>Turtle has no import mechanism, so nothing is ever fetched; RDF/XML (with its entity expansion) is not
 *       accepted at all.</li>
 *   <li>{@link TurtleLimits} bound size, triple count and nesting depth.</li>
 * </ul>
 * Relative IRIs resolve against {@code file:///<fileName>}, as a file opened from disk would.
 */
public final class TurtleReader {

    private TurtleReader() {
    }

    /** Reads {@code file}, reporting errors against {@code fileName}, with the default limits. */
    public static RdfDocument read(Path file, String fileName) throws IOException {
        return read(file, fileName, TurtleLimits.DEFAULT);
    }

    /** Reads {@code file}, reporting errors against {@code fileName}. */
    public static RdfDocument read(Path file, String fileName, TurtleLimits limits) throws IOException {
        long size = Files.size(file);
        if (size > limits.maxBytes()) {
            throw tooLarge(fileName, limits);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, fileName, limits);
        }
    }

    /** Reads the stream to its end (it is not closed), reporting errors against {@code fileName}. */
    public static RdfDocument read(InputStream in, String fileName, TurtleLimits limits) throws IOException {
        byte[] bytes = in.readNBytes((int) limits.maxBytes() + 1);
        if (bytes.length > limits.maxBytes()) {
            throw tooLarge(fileName, limits);
        }
        return parse(decode(bytes, fileName), fileName, limits);
    }

    /** Parses Turtle text (e.g. from an API request), reporting errors against {@code fileName}. */
    public static RdfDocument read(String text, String fileName) {
        return read(text, fileName, TurtleLimits.DEFAULT);
    }

    /** Parses Turtle text (e.g. from an API request), reporting errors against {@code fileName}. */
    public static RdfDocument read(String text, String fileName, TurtleLimits limits) {
        if ((long) text.length() * 3 > limits.maxBytes()
                && text.getBytes(StandardCharsets.UTF_8).length > limits.maxBytes()) {
            throw tooLarge(fileName, limits);
        }
        return parse(text.startsWith("\uFEFF") ? text.substring(1) : text, fileName, limits);
    }

    private static RdfSyntaxException tooLarge(String fileName, TurtleLimits limits) {
        return new RdfSyntaxException(RdfSyntaxException.Reason.TOO_LARGE, fileName, null,
                "document is larger than the limit of " + limits.maxBytes() + " bytes");
    }

    private static String decode(byte[] bytes, String fileName) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        String text = out.toString();
        if (result.isError()) {
            SourcePosition position = new TextPositions(text).at(text.length());
            int bad = bytes[in.position()] & 0xFF;
            throw new RdfSyntaxException(RdfSyntaxException.Reason.ENCODING, fileName, position,
                    String.format("not valid UTF-8: unexpected byte 0x%02X (save the file as UTF-8)", bad));
        }
        return text;
    }

    private static RdfDocument parse(String text, String fileName, TurtleLimits limits) {
        PositionTrackingTurtleParser parser = new PositionTrackingTurtleParser(text.length(), limits);
        ParserConfig config = new ParserConfig();
        config.set(BasicParserSettings.NAMESPACES, Set.of());
        config.set(TurtleParserSettings.ACCEPT_TURTLESTAR, false);
        config.set(BasicParserSettings.PRESERVE_BNODE_IDS, false);
        parser.setParserConfig(config);
        // sized for a statement per 32 characters (IndustryFusion-shaped Turtle has about one per 30) instead of
        // growing by rehashing; indexed on demand (CompactModel: why)
        Model model = new CompactModel(Math.max(128, text.length() / 32));
        parser.setRDFHandler(new AbstractRDFHandler() {
            @Override
            public void handleNamespace(String prefix, String uri) {
                model.setNamespace(prefix, uri);
            }

            @Override
            public void handleStatement(Statement statement) {
                HeapGuard.check();
                model.add(statement);
            }
        });
        TextPositions positions = new TextPositions(text);
        try {
            parser.parse(new StringReader(text), baseIri(fileName));
        } catch (RDFParseException e) {
            throw new RdfSyntaxException(parser.errorReason(), fileName, positions.at(parser.errorOffset()),
                    withoutLocation(e.getMessage()));
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
        return new RdfDocument(fileName, model, new SubjectPositions(parser.subjectOffsets(), positions));
    }

    /** RDF4J appends " [line n, column m]" with its own (imprecise) position; ours replaces it. */
    private static String withoutLocation(String message) {
        return message == null ? "syntax error" : message.replaceFirst("\\s*\\[line -?\\d+(, column -?\\d+)?]$", "");
    }

    private static String baseIri(String fileName) {
        StringBuilder iri = new StringBuilder("file:///");
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
            if (unreserved) {
                iri.append((char) c);
            } else {
                iri.append('%').append(String.format("%02X", c));
            }
        }
        return iri.toString();
    }
}
