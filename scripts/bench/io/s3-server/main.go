// An in-memory S3-compatible server (gofakes3) for the latency benchmark, where moto is too slow
// to stand in for S3, plus a GET load generator that measures how fast it serves small objects
// without the Node client in the way.
//
//	s3-server serve -addr 127.0.0.1:0 [-exit-with-stdin] [-latency-addr 127.0.0.1:0 -median-ms 30 -p99-ms 150
//	  -stall-fraction 0.001 -stall-ms 10000 -seed 1]
//	    prints "listening on http://HOST:PORT" (and "latency on http://HOST:PORT"), serves until killed
//	s3-server draw -count N -median-ms 30 -p99-ms 150 -stall-fraction 0.001 -stall-ms 10000 -seed 1
//	    prints N delays the latency port would draw, "<ms> <stalled 0|1>" a line
//	s3-server get-rate -url URL -seconds 3 -concurrency 64   prints "<requests> <seconds>"
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: s3-server serve|draw|get-rate [flags]")
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "get-rate":
		err = getRate(os.Args[2:])
	case "draw":
		err = draw(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: expected serve, draw or get-rate", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

func serve(args []string) error {
	flags := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := flags.String("addr", "127.0.0.1:0", "loopback address to listen on")
	watchStdin := flags.Bool("exit-with-stdin", false, "exit when stdin closes (the parent process is gone)")
	latencyAddr := flags.String("latency-addr", "", "loopback address of a second port that adds S3's latency")
	profile := latencyFlags(flags)
	if err := flags.Parse(args); err != nil {
		return err
	}
	delays, err := profile()
	if err != nil {
		return err
	}
	if *watchStdin {
		// A parent killed without the chance to stop the server closes the pipe: no orphan.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			os.Exit(0)
		}()
	}
	// Quiet: a log line per request would cost more than serving it.
	faker := gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog()))
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	handler := faker.Server()
	mux := http.NewServeMux()
	mux.HandleFunc("/__latency/stats", delays.serveStats)
	mux.Handle("/", handler)
	if *latencyAddr != "" {
		delayed, err := net.Listen("tcp", *latencyAddr)
		if err != nil {
			return err
		}
		// Printed before "listening on", which tells the parent the server is ready.
		fmt.Printf("latency on http://%s\n", delayed.Addr().String())
		go func() { log.Fatal(http.Serve(delayed, delays.wrap(handler))) }()
	}
	fmt.Printf("listening on http://%s\n", listener.Addr().String())
	return http.Serve(listener, mux)
}

// latency holds each request on the latency port for a delay drawn from S3's small-GET profile
// (a lognormal body given by its median and 99th percentile, plus a fraction of stalls) before
// the S3 handler serves it, in the server's own process: a Node proxy on the benchmark's cores
// topped out near 2,600 GETs/s and became the limit the benchmark measured.
type latency struct {
	medianMs, sigma, stallFraction, stallMs float64
	mu                                      sync.Mutex
	random                                  *rand.Rand
	requests, stalls, abandoned             atomic.Int64
	delayMicros, inFlight, peakInFlight     atomic.Int64
}

// latencyFlags declares the profile's flags on `flags`; the returned function builds the
// profile once they are parsed.
func latencyFlags(flags *flag.FlagSet) func() (*latency, error) {
	medianMs := flags.Float64("median-ms", 0, "median delay of a request that does not stall")
	p99Ms := flags.Float64("p99-ms", 0, "99th percentile of the delay of requests that do not stall")
	stallFraction := flags.Float64("stall-fraction", 0, "fraction of requests that stall, 0..1")
	stallMs := flags.Float64("stall-ms", 0, "delay of a stalled request")
	seed := flags.Int64("seed", 1, "seed of the delays, so a run can be replayed")
	return func() (*latency, error) {
		return newLatency(*medianMs, *p99Ms, *stallFraction, *stallMs, *seed)
	}
}

// draw prints the delays the latency port would draw for a profile, so their distribution can
// be checked without timing requests.
func draw(args []string) error {
	flags := flag.NewFlagSet("draw", flag.ExitOnError)
	count := flags.Int("count", 1000, "how many delays to draw")
	profile := latencyFlags(flags)
	if err := flags.Parse(args); err != nil {
		return err
	}
	delays, err := profile()
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; i < *count; i++ {
		delay, stalled := delays.draw()
		stall := 0
		if stalled {
			stall = 1
		}
		fmt.Fprintf(out, "%.6f %d\n", float64(delay)/float64(time.Millisecond), stall)
	}
	return nil
}

// z of the standard normal's 99th percentile.
const z99 = 2.3263478740408408

func newLatency(medianMs, p99Ms, stallFraction, stallMs float64, seed int64) (*latency, error) {
	if medianMs < 0 || p99Ms < medianMs || stallFraction < 0 || stallFraction > 1 || stallMs < 0 {
		return nil, fmt.Errorf("latency profile: need 0 <= median-ms <= p99-ms, 0 <= stall-fraction <= 1, stall-ms >= 0")
	}
	sigma := 0.0
	if medianMs > 0 {
		sigma = math.Log(p99Ms/medianMs) / z99
	}
	return &latency{medianMs: medianMs, sigma: sigma, stallFraction: stallFraction, stallMs: stallMs,
		random: rand.New(rand.NewSource(seed))}, nil
}

func (l *latency) draw() (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stallFraction > 0 && l.random.Float64() < l.stallFraction {
		return time.Duration(l.stallMs * float64(time.Millisecond)), true
	}
	if l.medianMs == 0 {
		return 0, false
	}
	ms := l.medianMs * math.Exp(l.sigma*l.random.NormFloat64())
	return time.Duration(ms * float64(time.Millisecond)), false
}

func (l *latency) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		delay, stalled := l.draw()
		l.requests.Add(1)
		l.delayMicros.Add(delay.Microseconds())
		if stalled {
			l.stalls.Add(1)
		}
		open := l.inFlight.Add(1)
		defer l.inFlight.Add(-1)
		for peak := l.peakInFlight.Load(); open > peak && !l.peakInFlight.CompareAndSwap(peak, open); peak = l.peakInFlight.Load() {
		}
		if delay > 0 {
			timer := time.NewTimer(delay)
			select {
			case <-timer.C:
			case <-r.Context().Done():
				// The client gave up waiting (a first-byte timeout): the request never reaches S3.
				timer.Stop()
				l.abandoned.Add(1)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// serveStats answers GET with the counts so far as JSON; POST also starts a new peak of
// requests in flight, counted from the requests open now.
func (l *latency) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		l.peakInFlight.Store(l.inFlight.Load())
	}
	w.Header().Set("content-type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]float64{
		"requests":     float64(l.requests.Load()),
		"stalls":       float64(l.stalls.Load()),
		"abandoned":    float64(l.abandoned.Load()),
		"delayMs":      float64(l.delayMicros.Load()) / 1000,
		"peakInFlight": float64(l.peakInFlight.Load()),
	})
}

// getRate GETs one URL from `concurrency` keep-alive connections for `seconds` and prints the
// number of responses completed within those seconds, and the seconds.
func getRate(args []string) error {
	flags := flag.NewFlagSet("get-rate", flag.ExitOnError)
	url := flags.String("url", "", "object URL to GET")
	seconds := flags.Float64("seconds", 3, "how long to run")
	concurrency := flags.Int("concurrency", 64, "requests in flight")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return fmt.Errorf("-url: required")
	}
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns:        *concurrency,
		MaxIdleConnsPerHost: *concurrency,
		MaxConnsPerHost:     *concurrency,
	}}
	var done, failed atomic.Int64
	window := time.Duration(*seconds * float64(time.Second))
	start := time.Now()
	deadline := start.Add(window)
	for i := 0; i < *concurrency; i++ {
		go func() {
			for time.Now().Before(deadline) {
				response, err := client.Get(*url)
				if err == nil {
					_, err = io.Copy(io.Discard, response.Body)
					response.Body.Close()
				}
				// Only what completes inside the window counts.
				if time.Now().After(deadline) {
					return
				}
				if err != nil || response.StatusCode != http.StatusOK {
					failed.Add(1)
				} else {
					done.Add(1)
				}
			}
		}()
	}
	// The window's count, without waiting for requests still open at its end (a stalled one
	// on the latency port would hold the result for its whole stall).
	time.Sleep(window)
	if failed.Load() > 0 {
		return fmt.Errorf("%d of %d GETs failed", failed.Load(), failed.Load()+done.Load())
	}
	fmt.Printf("%d %.3f\n", done.Load(), window.Seconds())
	return nil
}
