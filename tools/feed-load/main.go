// Command feed-load posts single NGSI-LD entities to a local deployment's entity feed from concurrent clients and
// prints the updates per second, per 5 s and over the run, and the acknowledgement percentiles (docs/benchmarks.md).
// A compiled client beside the service on the same cores: its own warm-up is not part of the measurement, as a JVM
// client's is. The entities are the air filters of work/kms with valid operating hours, so the load raises no alerts.
//
// Usage: feed-load -url http://127.0.0.1:8080/deployments/bench/entities [-seconds 40] [-c 8] [-entities 200]
// [-form expanded|compact]: full IRIs without @context (as LocalTargetBenchmark posts), or compact terms with an
// inline @context, as work/kms/entity-violating.json is written.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

const base = "https://industry-fusion.org/base/v0.1/"
const interval = 5 * time.Second

func main() {
	url := flag.String("url", "", "the deployment's entity feed, e.g. http://127.0.0.1:8080/deployments/bench/entities")
	seconds := flag.Int("seconds", 40, "how long the clients post")
	clients := flag.Int("c", 8, "concurrent clients, each on its own keep-alive connection")
	distinct := flag.Int("entities", 200, "distinct entities the posts cycle over")
	form := flag.String("form", "expanded", "expanded (full IRIs, no @context) or compact (inline @context)")
	flag.Parse()
	if *url == "" || *seconds < 1 || *clients < 1 || *distinct < 1 || (*form != "expanded" && *form != "compact") {
		flag.Usage()
		os.Exit(2)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients},
		Timeout: 30 * time.Second}
	run := time.Now().UnixNano()
	start := time.Now()
	end := start.Add(time.Duration(*seconds) * time.Second)
	perInterval := make([]int64, int(time.Duration(*seconds)*time.Second/interval)+2)
	var total int64
	var mu sync.Mutex
	var acks []time.Duration
	var failure atomic.Value
	var wg sync.WaitGroup
	for w := 0; w < *clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []time.Duration
			for i := 0; time.Now().Before(end) && failure.Load() == nil; i++ {
				n := i**clients + w
				hours := 100 + (n / *distinct)%50
				body := fmt.Sprintf(`{"id":"urn:feed-load:%d:%d","type":"%sairFilter","%soperating_hours":`+
					`{"type":"Property","value":%d}}`, run, n%*distinct, base, base, hours)
				if *form == "compact" {
					body = fmt.Sprintf(`{"@context":{"base":"%s"},"id":"urn:feed-load:%d:%d","type":"base:airFilter",`+
						`"base:operating_hours":{"type":"Property","value":%d}}`, base, run, n%*distinct, hours)
				}
				sent := time.Now()
				resp, err := client.Post(*url, "application/json", bytes.NewBufferString(body))
				if err != nil {
					failure.Store(err.Error())
					return
				}
				answer, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					failure.Store(fmt.Sprintf("HTTP %d: %s", resp.StatusCode, answer))
					return
				}
				answered := time.Now()
				mine = append(mine, answered.Sub(sent))
				atomic.AddInt64(&total, 1)
				if k := int(answered.Sub(start) / interval); k < len(perInterval) {
					atomic.AddInt64(&perInterval[k], 1)
				}
			}
			mu.Lock()
			acks = append(acks, mine...)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	if f := failure.Load(); f != nil {
		fmt.Fprintln(os.Stderr, "feed-load: a post failed:", f)
		os.Exit(1)
	}
	if total == 0 {
		fmt.Fprintln(os.Stderr, "feed-load: no post was answered")
		os.Exit(1)
	}
	elapsed := time.Since(start).Seconds()
	sort.Slice(acks, func(i, j int) bool { return acks[i] < acks[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("feed-load: %d single-entity posts (%s) in %.1f s from %d clients over %d entities: %.0f updates/s\n",
		total, *form, elapsed, *clients, *distinct, float64(total)/elapsed)
	fmt.Print("posts per 5 s:")
	for i := 0; i < *seconds/5; i++ {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Printf("%s %d", sep, perInterval[i]/5)
	}
	fmt.Printf(" per s\nacknowledgement (202): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		ms(acks[len(acks)/2]), ms(acks[len(acks)*99/100]), ms(acks[len(acks)-1]))
}
