package io.flinkjobrunner.rdf;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.rio.RDFHandlerException;
import org.eclipse.rdf4j.rio.RDFParseException;
import org.eclipse.rdf4j.rio.RioSetting;
import org.eclipse.rdf4j.rio.turtle.TurtleParser;

/**
 * RDF4J's Turtle parser with exact error positions, subject positions and nesting/size limits.
 *
 * <p>RDF4J's Turtle parser reports the line of an error but always column -1, and the line is where the parser
 * stopped, not where the offending term began. This subclass counts every code point the parser reads or pushes back,
 * so it knows the exact offset of each term and of the last character read. Errors inside a term (undefined prefix,
 * bad IRI, unterminated string) point at the term's first character; other errors point at the character that broke
 * the grammar.
 */
final class PositionTrackingTurtleParser extends TurtleParser {

    private final int textLength;
    private final TurtleLimits limits;

    /** Offset (in chars of the decoded text) of the next character the parser will read. */
    private int offset;
    private int lastReadStart = -1;
    private int lastValueStart = -1;
    private int lastValueEnd = -1;
    private int innermostValueStart = -1;
    private int valueDepth;
    private int nestingDepth;
    private long statements;
    private int statementStart = -1;
    /** Offset of the '[' or '(' whose blank node the parser is about to create. */
    private int pendingNodeStart = -1;

    private int errorOffset = -1;
    private RdfSyntaxException.Reason errorReason = RdfSyntaxException.Reason.SYNTAX;

    /** Offset where each subject (named or blank) first appears as the subject of a triple or as {@code [ ... ]}. */
    private final Map<Resource, Integer> subjectOffsets = new HashMap<>();

    /**
     * Every IRI created so far, by its text: a document names the same IRIs over and over, and each creation would
     * check the IRI's syntax again and make a new object (which the model then hashes and compares by content).
     */
    private final Map<String, IRI> iris = new HashMap<>();

    PositionTrackingTurtleParser(int textLength, TurtleLimits limits) {
        this.textLength = textLength;
        this.limits = limits;
    }

    Map<Resource, Integer> subjectOffsets() {
        return subjectOffsets;
    }

    RdfSyntaxException.Reason errorReason() {
        return errorReason;
    }

    /** The offset an error that just escaped the parser should be reported at. */
    int errorOffset() {
        if (errorOffset >= 0) {
            return errorOffset;
        }
        if (offset == lastValueEnd && lastValueStart >= 0) {
            // The grammar rejected the term just read (e.g. a literal used as subject): point at that term.
            return lastValueStart;
        }
        return lastReadStart >= 0 && lastReadStart < offset ? lastReadStart : offset;
    }

    @Override
    protected int readCodePoint() throws IOException {
        int before = offset;
        int codePoint = super.readCodePoint();
        if (codePoint != -1) {
            lastReadStart = before;
            offset += Character.charCount(codePoint);
        }
        return codePoint;
    }

    @Override
    protected void unread(int codePoint) throws IOException {
        super.unread(codePoint);
        if (codePoint != -1) {
            offset -= Character.charCount(codePoint);
        }
    }

    @Override
    protected void unread(String string) throws IOException {
        super.unread(string);
        offset -= string.length();
    }

    @Override
    protected IRI createURI(String uri) throws RDFParseException {
        IRI iri = iris.get(uri);
        if (iri == null) {
            iri = super.createURI(uri);
            iris.put(uri, iri);
        }
        return iri;
    }

    @Override
    protected Value parseValue() throws IOException, RDFParseException, RDFHandlerException {
        int start = offset;
        int enclosingValueStart = innermostValueStart;
        innermostValueStart = start;
        valueDepth++;
        try {
            rejectTurtleStar();
            Value value = super.parseValue();
            lastValueStart = start;
            lastValueEnd = offset;
            return value;
        } catch (RDFParseException e) {
            if (errorOffset < 0) {
                errorOffset = start;
            }
            throw e;
        } finally {
            valueDepth--;
            innermostValueStart = enclosingValueStart;
        }
    }

    private void rejectTurtleStar() throws IOException {
        int first = readCodePoint();
        int second = first == '<' ? readCodePoint() : -1;
        unread(second);
        unread(first);
        if (first == '<' && second == '<') {
            throw new RDFParseException("RDF-star triple terms '<< ... >>' are not supported (Turtle 1.1 only)");
        }
    }

    @Override
    protected Literal parseNumber() throws IOException, RDFParseException {
        int start = offset;
        Literal number = super.parseNumber();
        if (number.getLabel().chars().noneMatch(c -> c >= '0' && c <= '9')) {
            // RDF4J turns a stray '.', '+' or '-' into an empty integer literal without consuming it, which makes
            // e.g. an unclosed list loop until the triple limit; a number needs digits.
            errorOffset = start;
            throw new RDFParseException("Expected an RDF value here, found '"
                    + (number.getLabel().isEmpty() ? "." : number.getLabel()) + "'");
        }
        return number;
    }

    /**
     * RDF4J downgrades some grammar violations to "errors" that are ignored unless a setting is on (e.g. an invalid
     * string escape is tied to {@code VERIFY_DATATYPE_VALUES}); in Turtle they are all syntax errors.
     */
    @Override
    protected void reportError(String msg, long lineNo, long columnNo, RioSetting<Boolean> relevantSetting)
            throws RDFParseException {
        throw new RDFParseException(msg);
    }

    @Override
    protected void parseDirective(String directive) throws IOException, RDFParseException, RDFHandlerException {
        int start = offset - directive.length();
        try {
            super.parseDirective(directive);
        } catch (RDFParseException e) {
            String message = String.valueOf(e.getMessage());
            if (errorOffset < 0 && (message.startsWith("Unknown directive") || message.startsWith("Directive name"))) {
                errorOffset = start;
            }
            throw e;
        }
    }

    @Override
    protected void parseTriples() throws IOException, RDFParseException, RDFHandlerException {
        statementStart = offset;
        super.parseTriples();
    }

    @Override
    protected void parseSubject() throws IOException, RDFParseException, RDFHandlerException {
        int start = offset;
        super.parseSubject();
        if (subject != null) {
            subjectOffsets.putIfAbsent(subject, start);
        }
    }

    @Override
    protected Resource parseImplicitBlank() throws IOException, RDFParseException, RDFHandlerException {
        // A '[' that starts a statement was read, whitespace skipped and the '[' pushed back by the caller, so the
        // pushed-back character no longer sits at its own offset: use the statement start instead.
        int start = subject == null && statementStart >= 0 ? statementStart : offset;
        enterNesting(start);
        pendingNodeStart = start;
        try {
            return super.parseImplicitBlank();
        } finally {
            nestingDepth--;
        }
    }

    @Override
    protected Resource parseCollection() throws IOException, RDFParseException, RDFHandlerException {
        int start = offset;
        enterNesting(start);
        pendingNodeStart = start;
        try {
            return super.parseCollection();
        } finally {
            // "()" is rdf:nil and creates no node: do not let its position leak to the next blank node.
            pendingNodeStart = -1;
            nestingDepth--;
        }
    }

    /** The first node created after '[' or '(' is the one they denote; record it before its triples are read. */
    @Override
    protected Resource createNode() throws RDFParseException {
        Resource node = super.createNode();
        if (pendingNodeStart >= 0) {
            subjectOffsets.putIfAbsent(node, pendingNodeStart);
            pendingNodeStart = -1;
        }
        return node;
    }

    private void enterNesting(int start) {
        nestingDepth++;
        if (nestingDepth > limits.maxNestingDepth()) {
            errorOffset = start;
            errorReason = RdfSyntaxException.Reason.NESTING_TOO_DEEP;
            throw new RDFParseException("'[ ... ]' and '( ... )' are nested more than " + limits.maxNestingDepth()
                    + " levels deep");
        }
    }

    @Override
    protected String getNamespace(String prefix) throws RDFParseException {
        try {
            return super.getNamespace(prefix);
        } catch (RDFParseException e) {
            errorReason = RdfSyntaxException.Reason.UNDEFINED_PREFIX;
            throw e;
        }
    }

    @Override
    protected void reportStatement(Resource subj, IRI pred, Value obj) throws RDFParseException, RDFHandlerException {
        if (++statements > limits.maxStatements()) {
            errorReason = RdfSyntaxException.Reason.TOO_MANY_STATEMENTS;
            throw new RDFParseException("more than " + limits.maxStatements() + " triples");
        }
        if (subj != null && statementStart >= 0) {
            subjectOffsets.putIfAbsent(subj, statementStart);
        }
        super.reportStatement(subj, pred, obj);
    }

    @Override
    protected void verifyCharacterOrFail(int codePoint, String expected) throws RDFParseException {
        if (codePoint == -1) {
            errorOffset = textLength;
            throw new RDFParseException("Unexpected end of file, expected " + quoteEach(expected));
        }
        super.verifyCharacterOrFail(codePoint, expected);
    }

    @Override
    protected void throwEOFException() throws RDFParseException {
        if (valueDepth > 0 && innermostValueStart >= 0 && innermostValueStart < textLength) {
            errorOffset = innermostValueStart;
            throw new RDFParseException("Unexpected end of file inside the term that starts here"
                    + " (missing closing quote or '>'?)");
        }
        errorOffset = textLength;
        throw new RDFParseException("Unexpected end of file");
    }

    private static String quoteEach(String expected) {
        StringBuilder text = new StringBuilder();
        expected.codePoints().forEach(c -> {
            if (!text.isEmpty()) {
                text.append(" or ");
            }
            text.append('\'').appendCodePoint(c).append('\'');
        });
        return text.toString();
    }
}
