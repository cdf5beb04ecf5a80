package io.flinkjobrunner.authoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

class AlertPromptParserTest {

    /** prompt | sensor | operator | threshold | unit (empty = none). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "", value = {
        // the reference's documented example; the unit is now the whole "°c" (the reference found "c" in it)
        "Alert me if temperature exceeds 75 °C           | temperature   | >  | 75.0  | °c",
        "temperature above 80                            | temperature   | >  | 80.0  |",
        "Alert when the temp goes over 60.5 celsius      | temperature   | >  | 60.5  | celsius",
        "degrees greater than 100 fahrenheit             | temperature   | >  | 100.0 | fahrenheit",
        "temperature more than 30 F                      | temperature   | >  | 30.0  | f",
        "temperature exceed 20                           | temperature   | >  | 20.0  |",
        "temperature below -5 °F                         | temperature   | <  | -5.0  | °f",
        "temperature less than 10                        | temperature   | <  | 10.0  |",
        "temp under 3 c                                  | temperature   | <  | 3.0   | c",
        "humidity is above 50%                           | humidity      | >  | 50.0  | %",
        "moisture under 30 percent                       | humidity      | <  | 30.0  | percent",
        "humidity at least 40 percentage                 | humidity      | >= | 40.0  | percentage",
        "humidity max 90 rh                              | humidity      | <= | 90.0  | rh",
        "noise at least 85 dB                            | noise         | >= | 85.0  | db",
        "sound over 70 decibels                          | noise         | >  | 70.0  | decibel",
        "decibel minimum 20                              | noise         | >= | 20.0  | decibel",
        "dust at most 50 µg/m³                           | dustiness     | <= | 50.0  | µg/m3",
        "particulate maximum 35 ug/m3                    | dustiness     | <= | 35.0  | ug/m3",
        "pm min 10 ppm                                   | dustiness     | >= | 10.0  | ppm",
        "dustiness above 2 mg/m3                         | dustiness     | >  | 2.0   | mg/m3",
        "machine state equals 2                          | machine_state | == | 2.0   |",
        "status is 3                                     | machine_state | == | 3.0   |",
        "machine state equal 1                           | machine_state | == | 1.0   |",
        // sensor priority is the reference's dict order: temperature wins over machine
        "Alert if the machine temperature exceeds 80     | temperature   | >  | 80.0  |",
        // operator priority is the reference's group order, not the position in the prompt
        "is above 5                                      | temperature   | >  | 5.0   |",
        "no less than 5                                  | temperature   | <  | 5.0   |",
        // fallbacks: first number with >, else > 0
        "temperature 42                                  | temperature   | >  | 42.0  |",
        "hello                                           | temperature   | >  | 0.0   |",
        "                                                | temperature   | >  | 0.0   |",
        // fixes: symbols, units next to the number, whole-word operator phrases
        "temp > 80 F                                     | temperature   | >  | 80.0  | f",
        "temperature >= 70                               | temperature   | >= | 70.0  |",
        "temperature <= 10°C                             | temperature   | <= | 10.0  | °c",
        "humidity < 20%                                  | humidity      | <  | 20.0  | %",
        "temperature == 21.5                             | temperature   | == | 21.5  |",
        "temperature exceeds 30 ℃                        | temperature   | >  | 30.0  | °c",
        "admin 5                                         | temperature   | >  | 5.0   |",
        "Alert me if temp exceeds 30                     | temperature   | >  | 30.0  |",
        "temperature of cutter c exceeds 75 f            | temperature   | >  | 75.0  | f",
        "ＴＥＭＰ above ７５                              | temperature   | >  | 75.0  |"})
    void parsesDocumentedPromptPatterns(String prompt, String sensor, String operator, double threshold,
            String unit) {
        AlertCondition condition = AlertPromptParser.parse(prompt == null ? "" : prompt);
        assertEquals(new AlertCondition(sensor, ComparisonOperator.ofSymbol(operator).orElseThrow(), threshold, unit),
                condition);
    }

    @Test
    void serialisesWithTheReferenceFieldNames() throws JsonProcessingException {
        AlertCondition condition = AlertPromptParser.parse("Alert me if temperature exceeds 75 °C");
        assertEquals("{\"sensor\":\"temperature\",\"operator\":\">\",\"threshold\":75.0,\"unit\":\"°c\"}",
                new ObjectMapper().writeValueAsString(condition));
        assertEquals("{\"sensor\":\"temperature\",\"operator\":\">\",\"threshold\":0.0,\"unit\":null}",
                new ObjectMapper().writeValueAsString(AlertPromptParser.parse("")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "temperature above 75 \"\"\" ; ex:x ex:y \"z\" .  | temperature | 75.0",
        "temperature above 75 > ; <http://evil/> a <x>  | temperature | 75.0",
        "humidity above 1e9999%                          | humidity    | 1.0",
        "noise above 99999999999999999999999999999999     | noise       | 1.0E32"})
    void hostilePromptsOnlyYieldPlainValues(String prompt, String sensor, double threshold) {
        AlertCondition condition = AlertPromptParser.parse(prompt);
        assertEquals(sensor, condition.sensor());
        assertEquals(threshold, condition.threshold());
    }

    @Test
    void refusesOverlongPrompts() {
        String prompt = "temperature above 5 ".repeat(200);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> AlertPromptParser.parse(prompt));
        assertEquals("the prompt is longer than 2000 characters", error.getMessage());
    }

    @Test
    void describesTheConditionAsTheReferenceMessage() {
        assertEquals("Temperature > 75.0°c", AlertPromptParser.parse("temperature exceeds 75 °C").describe());
        assertEquals("Machine_state == 2.0", AlertPromptParser.parse("machine state equals 2").describe());
        assertEquals("Humidity < 0.5%", AlertPromptParser.parse("humidity below 0.5%").describe());
    }
}
