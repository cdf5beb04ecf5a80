package io.flinkjobrunner.service.secrets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UrlRedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://bucket.s3.amazonaws.com/k.ttl?X-Amz-Signature=abc&X-Amz-Expires=60 | https://bucket.s3.amazonaws.com/k.ttl?REDACTED",
            "http://user:secret@host:8080/a/b.ttl | http://REDACTED@host:8080/a/b.ttl",
            "http://host/a.ttl#frag | http://host/a.ttl",
            "https://host/plain.ttl | https://host/plain.ttl",
            "http://host/a b?sig=x | http://host/a b?REDACTED",
            "not a url?token=1 | not a url?REDACTED",
    })
    void redactsQueryStringUserInfoAndFragment(String url, String expected) {
        assertEquals(expected, UrlRedaction.redact(url));
    }

    @Test
    void redactsEveryUrlInsideText() {
        assertEquals("GET https://h/x?REDACTED failed, redirect to http://REDACTED@i/y",
                UrlRedaction.redactAll("GET https://h/x?sig=1 failed, redirect to http://a:b@i/y"));
        assertEquals("no urls here", UrlRedaction.redactAll("no urls here"));
    }
}
