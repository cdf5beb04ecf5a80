package io.flinkjobrunner.service.secrets;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the secret-bearing parts of URLs (query string, user-info, fragment) before they are shown, logged or stored.
 * Pre-signed object-store URLs carry their signature in the query string.
 */
public final class UrlRedaction {

    /** Placeholder that replaces a removed query string or user-info. */
    public static final String REDACTED = "REDACTED";

    /** Any http(s) URL inside free text, e.g. in an exception message. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)\\bhttps?://[^\\s\"'<>]+");

    private UrlRedaction() {
    }

    /**
     * Redacts one URL: {@code https://user:pw@host/p?sig=x#f} becomes {@code https://host/p?REDACTED}. A string that is
     * not a parseable URL is cut at the first {@code ?} or {@code #} and stripped of anything before an {@code @}.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return fallback(url);
            }
            StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
            if (uri.getRawUserInfo() != null) {
                out.append(REDACTED).append('@');
            }
            String host = uri.getHost() != null ? uri.getHost() : authorityWithoutUserInfo(uri.getRawAuthority());
            out.append(host);
            if (uri.getPort() >= 0) {
                out.append(':').append(uri.getPort());
            }
            if (uri.getRawPath() != null) {
                out.append(uri.getRawPath());
            }
            if (uri.getRawQuery() != null) {
                out.append('?').append(REDACTED);
            }
            return out.toString();
        } catch (URISyntaxException e) {
            return fallback(url);
        }
    }

    /** Redacts every http(s) URL that occurs in a free-text message (log lines, error details). */
    public static String redactAll(String text) {
        if (text == null || !text.contains("://")) {
            return text;
        }
        Matcher m = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(redact(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String authorityWithoutUserInfo(String authority) {
        int at = authority.lastIndexOf('@');
        return at >= 0 ? authority.substring(at + 1) : authority;
    }

    private static String fallback(String url) {
        String s = url;
        int cut = indexOfAny(s, '?', '#');
        boolean hadQuery = cut >= 0 && s.charAt(cut) == '?';
        if (cut >= 0) {
            s = s.substring(0, cut);
        }
        int scheme = s.indexOf("://");
        int at = s.lastIndexOf('@');
        if (at > scheme) {
            s = (scheme >= 0 ? s.substring(0, scheme + 3) : "") + REDACTED + s.substring(at);
        }
        return hadQuery ? s + "?" + REDACTED : s;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }
}
