// An in-memory S3-compatible server (gofakes3) for the latency benchmark, where moto is too slow
// to stand in for S3, plus a GET load generator that measures how fast it serves small objects
// without the Node client in the way.
//
//	s3-server serve -addr 127.0.0.1:0 [-exit-with-stdin]   prints "listening on http://HOST:PORT", serves until killed
//	s3-server get-rate -url URL -seconds 3 -concurrency 64   prints "<requests> <seconds>"
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
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
		log.Fatal("usage: s3-server serve|get-rate [flags]")
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "get-rate":
		err = getRate(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: expected serve or get-rate", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

func serve(args []string) error {
	flags := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := flags.String("addr", "127.0.0.1:0", "loopback address to listen on")
	watchStdin := flags.Bool("exit-with-stdin", false, "exit when stdin closes (the parent process is gone)")
	if err := flags.Parse(args); err != nil {
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
	fmt.Printf("listening on http://%s\n", listener.Addr().String())
	return http.Serve(listener, faker.Server())
}

// getRate GETs one URL from `concurrency` keep-alive connections for `seconds` and prints the
// number of complete responses and the elapsed seconds.
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
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < *concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				response, err := client.Get(*url)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, err = io.Copy(io.Discard, response.Body)
				response.Body.Close()
				if err != nil || response.StatusCode != http.StatusOK {
					failed.Add(1)
					continue
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		return fmt.Errorf("%d of %d GETs failed", failed.Load(), failed.Load()+done.Load())
	}
	fmt.Printf("%d %.3f\n", done.Load(), time.Since(start).Seconds())
	return nil
}
