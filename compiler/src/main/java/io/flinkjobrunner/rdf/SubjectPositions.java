package io.flinkjobrunner.rdf;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.eclipse.rdf4j.model.Resource;

/**
 * Where each subject of a parsed document is first written, as an unmodifiable map that turns the parser's offsets
 * into line/column only when asked: a document has one subject per few triples, and the positions are read only for
 * the few subjects a problem is reported at (computing and copying them all took a tenth of parsing a large file).
 */
final class SubjectPositions extends AbstractMap<Resource, SourcePosition> {

    private final Map<Resource, Integer> offsets;
    private final TextPositions positions;

    SubjectPositions(Map<Resource, Integer> offsets, TextPositions positions) {
        this.offsets = offsets;
        this.positions = positions;
    }

    @Override
    public SourcePosition get(Object subject) {
        Integer offset = offsets.get(subject);
        return offset == null ? null : positions.at(offset);
    }

    @Override
    public boolean containsKey(Object subject) {
        return offsets.containsKey(subject);
    }

    @Override
    public int size() {
        return offsets.size();
    }

    @Override
    public Set<Entry<Resource, SourcePosition>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Resource, SourcePosition>> iterator() {
                Iterator<Entry<Resource, Integer>> entries = offsets.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public Entry<Resource, SourcePosition> next() {
                        Entry<Resource, Integer> e = entries.next();
                        return Map.entry(e.getKey(), positions.at(e.getValue()));
                    }
                };
            }

            @Override
            public int size() {
                return offsets.size();
            }
        };
    }
}
