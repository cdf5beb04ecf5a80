package io.flinkjobrunner.ngsild;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code observedAt} values: ISO-8601 date-times with {@code T} or a space between date and time, optional
 * fraction, optional zone ({@code Z}, {@code +02:00}, {@code +0200}, {@code +02}); without a zone the time is UTC. The
 * reference's test cases write {@code 2023-03-24 13:42:32.0}; NGSI-LD brokers write {@code 2023-03-24T13:42:32.000Z}.
 */
final class ObservedAt {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?)\\s*(Z|z|[+-]\\d{2}(?::?\\d{2})?)?");

    private ObservedAt() {
    }

    /**
     * The instant {@code text} denotes.
     *
     * @throws IllegalArgumentException when it is not a date-time of the accepted forms
     */
    static Instant parse(String text) {
        Matcher matcher = DATE_TIME.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a date-time (expected e.g. 2023-03-24T13:42:32Z"
                    + " or 2023-03-24 13:42:32.0)");
        }
        String local = matcher.group(1) + "T" + matcher.group(2).replace(',', '.');
        String zone = matcher.group(3);
        try {
            if (zone == null) {
                return LocalDateTime.parse(local).toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(local + normalizeZone(zone)).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid date-time: " + e.getMessage(), e);
        }
    }

    private static String normalizeZone(String zone) {
        if (zone.equalsIgnoreCase("Z")) {
            return "Z";
        }
        String digits = zone.substring(1).replace(":", "");
        String minutes = digits.length() == 2 ? "00" : digits.substring(2);
        return zone.charAt(0) + digits.substring(0, 2) + ":" + minutes;
    }
}
