package io.flinkjobrunner.service.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SSE subscribers of {@link ServiceBenchmark}, in a process of their own (as browsers are not in the service's
 * JVM; in one JVM, client and server share Netty's classes, and the JIT's profiles of one deoptimise the other's code).
 * Arguments: host, port, subscribers. Protocol on stdin/stdout, one round per {@code RUN <job id>} line: connects the
 * subscribers to the job's log, prints {@code CONNECTED <failures>}, waits for a line {@code GO}, then prints the
 * results when every stream has ended ({@code STREAM}, {@code LATENCY}, {@code PER_SECOND}, {@code DONE} lines).
 */
public final class SseLoadClient {

    private SseLoadClient() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int subscribers = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(subscribers + 10)
                .setPoolEventLoopSize(2).setDefaultHost(host).setDefaultPort(port));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        // one process for every round, so the measured round runs on a client the warm-up round has compiled
        for (String command; (command = in.readLine()) != null && command.startsWith("RUN "); ) {
            if (!round(client, command.substring("RUN ".length()), subscribers, in)) {
                break;
            }
        }
        client.close();
        vertx.close();
    }

    private static boolean round(HttpClient client, String jobId, int subscribers, BufferedReader in)
            throws Exception {
        List<Subscriber> subs = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(subscribers);
        CountDownLatch finished = new CountDownLatch(subscribers);
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < subscribers; i++) {
            Subscriber sub = new Subscriber(i % 20 == 0);
            subs.add(sub);
            client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/jobs/" + jobId + "/logs")
                            .addHeader("Accept", "text/event-stream"))
                    .compose(req -> req.send())
                    .onSuccess(resp -> {
                        connected.countDown();
                        resp.handler(sub::accept);
                        resp.endHandler(v -> finished.countDown());
                    })
                    .onFailure(e -> {
                        failures.incrementAndGet();
                        connected.countDown();
                        finished.countDown();
                    });
        }
        connected.await(120, TimeUnit.SECONDS);
        // the previous round's results are garbage now: collect them before this round is measured, not during it
        System.gc();
        System.out.println("CONNECTED " + failures.get());
        System.out.flush();
        if (!"GO".equals(in.readLine())) {
            return false;
        }
        long t0 = System.nanoTime();
        boolean allDone = finished.await(600, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        StringBuilder out = new StringBuilder();
        for (Subscriber x : subs) {
            out.append("STREAM ").append(x.events).append(' ').append(x.done && x.ordered).append('\n');
        }
        long[] lat = subs.stream().flatMapToLong(x -> java.util.Arrays.stream(x.latenciesMicros, 0, x.samples))
                .sorted().toArray();
        long first = subs.stream().mapToLong(x -> x.firstLineMicros).min().orElse(0);
        long last = subs.stream().mapToLong(x -> x.lastLineMicros).max().orElse(0);
        out.append(String.format("LATENCY %.3f %.3f %.3f %d %d%n", pct(lat, 50), pct(lat, 99), pct(lat, 100),
                lat.length, last - first));
        out.append("PER_SECOND ").append(p99PerSecond(subs, first)).append('\n');
        out.append("DONE ").append(allDone).append(' ').append(elapsed).append('\n');
        System.out.print(out);
        System.out.flush();
        return true;
    }

    /** p99 latency (ms) of the lines written in each second of the run: shows warm-up and stalls. */
    private static String p99PerSecond(List<Subscriber> subs, long start) {
        TreeMap<Long, List<Long>> bySecond = new TreeMap<>();
        for (Subscriber x : subs) {
            for (int i = 0; i < x.samples; i++) {
                bySecond.computeIfAbsent((x.writtenMicros[i] - start) / 1_000_000, k -> new ArrayList<>())
                        .add(x.latenciesMicros[i]);
            }
        }
        StringBuilder out = new StringBuilder();
        bySecond.forEach((second, values) -> out.append(out.isEmpty() ? "" : ", ").append(second).append("s: ")
                .append(Math.round(pct(values.stream().mapToLong(Long::longValue).sorted().toArray(), 99))));
        return out.toString();
    }

    /** Percentile {@code p} of sorted microseconds, in milliseconds. */
    static double pct(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.min(sortedMicros.length - 1, Math.ceil(p / 100.0 * sortedMicros.length) - 1);
        return sortedMicros[Math.max(0, idx)] / 1000.0;
    }

    /**
     * One subscriber: counts frames, checks that ids are 1, 2, 3, … and, for sampled subscribers, measures end-to-end
     * latency from the line's timestamp. Parses bytes without building strings (the client shares the 2 cores).
     */
    static final class Subscriber {
        final boolean sampleLatency;
        long expectedNext = 1;
        long events;
        boolean ordered = true;
        boolean done;
        /** Latency and write time of each sampled line: primitive arrays, so sampling allocates (almost) nothing. */
        long[] latenciesMicros = new long[1024];
        long[] writtenMicros = new long[1024];
        int samples;
        /** Timestamps of the first and last log lines (sampled subscribers): how fast the job wrote. */
        long firstLineMicros = Long.MAX_VALUE;
        long lastLineMicros = Long.MIN_VALUE;
        /** The start of the current line: enough for "id: N", "event: kind" and "data: <timestamp>". */
        private final byte[] line = new byte[64];
        private int length;
        private boolean logEvent;
        /** The "yyyy-MM-ddTHH" of the last parsed timestamp and its epoch second, so most lines parse without dates. */
        private final byte[] hour = new byte[13];
        private long hourEpochSecond = Long.MIN_VALUE;

        Subscriber(boolean sampleLatency) {
            this.sampleLatency = sampleLatency;
        }

        void accept(Buffer buffer) {
            // finds line ends with Netty's scan and copies only the start of each line (all the parser looks at):
            // the client shares the 2 cores with the service, so its cost per byte is kept small
            io.netty.buffer.ByteBuf b = buffer.getByteBuf();
            int end = b.writerIndex();
            long now = -1;
            for (int i = b.readerIndex(); i < end; ) {
                int lf = b.indexOf(i, end, (byte) '\n');
                int stop = lf < 0 ? end : lf;
                int n = Math.min(stop - i, line.length - length);
                if (n > 0) {
                    b.getBytes(i, line, length, n);
                    length += n;
                }
                if (lf < 0) {
                    break;
                }
                if (sampleLatency && logEvent && length > 6 && line[0] == 'd' && now < 0) {
                    Instant t = Instant.now();
                    now = t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
                }
                endLine(now);
                length = 0;
                i = lf + 1;
            }
        }

        private void endLine(long nowMicros) {
            if (length > 4 && line[0] == 'i' && line[1] == 'd' && line[2] == ':') {
                long id = 0;
                for (int i = 4; i < length; i++) {
                    id = id * 10 + (line[i] - '0');
                }
                if (id != expectedNext) {
                    ordered = false;
                }
                expectedNext = id + 1;
                events++;
            } else if (length >= 9 && line[0] == 'e' && line[5] == ':') {
                logEvent = line[7] == 'l';
                if (line[7] == 'd') {
                    done = true;
                }
            } else if (sampleLatency && logEvent && length > 30 && line[0] == 'd') {
                long at = timestampMicros(6);
                if (samples == latenciesMicros.length) {
                    latenciesMicros = java.util.Arrays.copyOf(latenciesMicros, samples * 2);
                    writtenMicros = java.util.Arrays.copyOf(writtenMicros, samples * 2);
                }
                latenciesMicros[samples] = nowMicros - at;
                writtenMicros[samples] = at;
                samples++;
                firstLineMicros = Math.min(firstLineMicros, at);
                lastLineMicros = Math.max(lastLineMicros, at);
                logEvent = false;
            }
        }
        /**
         * Epoch microseconds of the ISO-8601 instant ({@code 2026-11-22T11:43:40.123456Z}, 0 to 9 fraction digits)
         * starting at {@code from}: a DateTimeFormatter parse per sampled line cost the client more than the service's
         * whole delivery.
         */
        private long timestampMicros(int from) {
            if (hourEpochSecond == Long.MIN_VALUE || !java.util.Arrays.equals(line, from, from + 13, hour, 0, 13)) {
                System.arraycopy(line, from, hour, 0, 13);
                hourEpochSecond = java.time.LocalDateTime.parse(new String(hour, StandardCharsets.US_ASCII) + ":00:00")
                        .toEpochSecond(java.time.ZoneOffset.UTC);
            }
            long seconds = hourEpochSecond + digits(from + 14, 2) * 60 + digits(from + 17, 2);
            long micros = 0;
            int i = from + 19;
            int scale = 100_000;
            if (line[i] == '.') {
                for (i++; i < length && line[i] >= '0' && line[i] <= '9'; i++) {
                    micros += (line[i] - '0') * (long) scale;
                    scale /= 10;
                }
            }
            return seconds * 1_000_000 + micros;
        }

        private long digits(int from, int count) {
            long v = 0;
            for (int i = from; i < from + count; i++) {
                v = v * 10 + (line[i] - '0');
            }
            return v;
        }
    }

}
