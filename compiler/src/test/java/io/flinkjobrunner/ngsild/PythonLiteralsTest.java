package io.flinkjobrunner.ngsild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PythonLiteralsTest {

    /** Expected values are Python 3's {@code repr(float(token))}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.0|1.0",
        "0.5|0.5",
        "1e3|1000.0",
        "1.0e1|10.0",
        "-0.0|-0.0",
        "0.1|0.1",
        "0.30000000000000004|0.30000000000000004",
        "1e16|1e+16",
        "1e15|1000000000000000.0",
        "123456789012345678.0|1.2345678901234568e+17",
        "0.0001|0.0001",
        "0.00001|1e-05",
        "1.5e-7|1.5e-07",
        "2.5e-300|2.5e-300",
        "1.7976931348623157e308|1.7976931348623157e+308",
        "5e-324|5e-324",
        "9007199254740993|9007199254740992.0",
        "-123.456|-123.456",
        "100.0|100.0",
        "1e400|inf",
        "-1e400|-inf",
    })
    void printsFloatsLikePythonRepr(String token, String expected) {
        assertEquals(expected, PythonLiterals.floatRepr(Double.parseDouble(token)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "5|http://www.w3.org/2001/XMLSchema#integer|5",
        "+05|http://www.w3.org/2001/XMLSchema#int|5",
        "abc|http://www.w3.org/2001/XMLSchema#integer|abc",
        "1.0E0|http://www.w3.org/2001/XMLSchema#double|1.0",
        "INF|http://www.w3.org/2001/XMLSchema#double|inf",
        "1.50|http://www.w3.org/2001/XMLSchema#decimal|1.50",
        ".5|http://www.w3.org/2001/XMLSchema#decimal|0.5",
        "true|http://www.w3.org/2001/XMLSchema#boolean|True",
        "0|http://www.w3.org/2001/XMLSchema#boolean|False",
        "1.4301|iff:steelGrade|1.4301",
        "2023-03-24T13:42:32Z|http://www.w3.org/2001/XMLSchema#dateTime|2023-03-24T13:42:32Z",
        "plain|NULL|plain",
    })
    void printsTypedLiteralsLikePythonStrOfTheirValue(String lexical, String datatype, String expected) {
        assertEquals(expected, PythonLiterals.valueString(lexical, datatype));
    }

    @Test
    void printsStringsLikePythonRepr() {
        assertEquals("'abc'", PythonLiterals.stringRepr("abc"));
        assertEquals("\"it's\"", PythonLiterals.stringRepr("it's"));
        assertEquals("'it\\'s \"q\"'", PythonLiterals.stringRepr("it's \"q\""));
        assertEquals("'a\\\\b\\n\\t\\x00\\x7f'", PythonLiterals.stringRepr("a\\b\n\t\u0000\u007f"));
        assertEquals("'grüße 😀 \\u2028'", PythonLiterals.stringRepr("grüße 😀 \u2028"));
    }

    @Test
    void printsListsLikePythonRepr() {
        JsonArray items = json("""
                [{"@value": 1}, {"@value": 2.0}, {"@value": "a'b"}, {"@value": true}, {"@id": "urn:x"},
                 {"@value": "7", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
                 {"@value": "1.5", "@type": "http://www.w3.org/2001/XMLSchema#decimal"},
                 {"@value": "x", "@type": "urn:custom"},
                 {"@list": [{"@value": 3}]}, {"@list": []}]""").asJsonArray();

        assertEquals("[1, 2.0, \"a'b\", True, 'urn:x', 7, Decimal('1.5'), 'x', [3], []]",
                PythonLiterals.listRepr(items));
    }

    @Test
    void writesCanonicalCompactJson() {
        assertEquals("{\"a\":[1,2.0,true,null],\"b\":{\"c\":\"x\\\"y\\n\"},\"é\":\"ü\",\"😀\":1e+16}",
                PythonLiterals.canonicalJson(json("""
                        {"😀": 1e16, "é": "ü", "b": {"c": "x\\"y\\n"}, "a": [1, 2.0, true, null]}""")));
    }

    @Test
    void keepsIntegralNumbersExact() {
        assertEquals("12345678901234567890",
                PythonLiterals.numberString(Json.createValue(new java.math.BigInteger("12345678901234567890"))));
        assertEquals("0.5", PythonLiterals.numberString(Json.createValue(new BigDecimal("0.5"))));
    }

    private static jakarta.json.JsonValue json(String text) {
        try {
            return StrictJson.parse(text, "test");
        } catch (NgsiLdException e) {
            throw new AssertionError(e);
        }
    }

}
