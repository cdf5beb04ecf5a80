package io.flinkjobrunner.authoring;

import java.math.BigDecimal;

/** Formats doubles the way Python's {@code str(float)} does for the values prompts contain. */
final class PythonFloat {

    private PythonFloat() {
    }

    /** {@code 75.0}, {@code 0.5}, {@code -3.0}, {@code 1e+16}, {@code 1.5e-05}. */
    static String format(double value) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
        }
        double magnitude = Math.abs(value);
        String shortest = Double.toString(value);
        if (magnitude >= 1e16 || magnitude < 1e-4) {
            BigDecimal exact = new BigDecimal(shortest);
            String digits = exact.unscaledValue().abs().toString().replaceAll("0+$", "");
            int exponent = exact.precision() - exact.scale() - 1;
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        String plain = new BigDecimal(shortest).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
