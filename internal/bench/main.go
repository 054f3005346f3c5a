// Command bench measures the simulator against the floors of the machine it runs on, in one run, and
// prints every figure with its ratio to its floor (`make bench`; results go to BENCHMARKS.md).
//
//	warm sync invoke    p50/p99 and invokes/s through the Invoke API, sequential and 8 clients
//	cold start          Invoke of a never-run function to its answer
//	floors              a plain Go net/http echo round trip on loopback; fork/exec of the same
//	                    bootstrap to its first GET /next
//
// Every loop is bounded in count and in time; everything binds 127.0.0.1 and is stopped at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

var (
	warmN     = flag.Int("n", 3000, "warm invokes per measurement (bounded by -max-time too)")
	coldN     = flag.Int("cold", 15, "cold starts to measure")
	clients   = flag.Int("clients", 8, "concurrent clients for the parallel measurement")
	maxTime   = flag.Duration("max-time", 10*time.Second, "upper bound of each timed loop")
	inMemory  = flag.Bool("in-memory", true, "run the simulator with --in-memory (false: durable store in a temp dir)")
	logErrors = flag.Bool("v", false, "print every error")
)

func main() {
	flag.Parse()
	defer testfn.Cleanup()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type row struct {
	name, value, floorName, floor, ratio, target string
}

func run() error {
	bootstrap, err := testfn.BuildBootstrap(testfn.Echo)
	if err != nil {
		return err
	}
	zip, err := testfn.ZipFile(bootstrap)
	if err != nil {
		return err
	}

	fmt.Fprintln(os.Stderr, "measuring floors ...")
	echoSeq, err := httpEchoFloor(1)
	if err != nil {
		return err
	}
	echoPar, err := httpEchoFloor(*clients)
	if err != nil {
		return err
	}
	forkP50, err := forkExecFloor(bootstrap, *coldN)
	if err != nil {
		return err
	}

	fmt.Fprintln(os.Stderr, "starting simulator ...")
	cfg := sim.Config{InMemory: *inMemory}
	if !*inMemory {
		dir, err := os.MkdirTemp("", "lambdatrigger-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.DataDir = dir
	}
	s, err := sim.New(cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Start("127.0.0.1:0"); err != nil {
		return err
	}
	client := lambda.New(lambda.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint()),
		Credentials:  credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		HTTPClient:   &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	})
	ctx := context.Background()

	if err := createFunction(ctx, client, "bench-warm", zip); err != nil {
		return err
	}
	payload := []byte(`{"bench":true}`)
	invoke := func(name string) error {
		out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: payload})
		if err == nil && out.FunctionError != nil {
			err = fmt.Errorf("function error %s: %s", *out.FunctionError, out.Payload)
		}
		return err
	}
	// Warm up: one environment per client, so the parallel run measures warm invokes only.
	for i := 0; i < *clients; i++ {
		if err := invoke("bench-warm"); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "warm invokes, sequential ...")
	seq := measure(1, *warmN, *maxTime, func() error { return invoke("bench-warm") })
	fmt.Fprintf(os.Stderr, "warm invokes, %d clients ...\n", *clients)
	par := measure(*clients, *warmN, *maxTime, func() error { return invoke("bench-warm") })

	fmt.Fprintln(os.Stderr, "cold starts ...")
	var cold []time.Duration
	for i := 0; i < *coldN; i++ {
		name := fmt.Sprintf("bench-cold-%d", i)
		if err := createFunction(ctx, client, name, zip); err != nil {
			return err
		}
		start := time.Now()
		if err := invoke(name); err != nil {
			return err
		}
		cold = append(cold, time.Since(start))
	}
	coldP50 := percentile(cold, 50)

	rows := []row{
		{"warm invoke p50, sequential", ms(seq.p50), "net/http echo p50", ms(echoSeq.p50), ratio(seq.p50, echoSeq.p50), "<= 3x"},
		{"warm invoke p99, sequential", ms(seq.p99), "net/http echo p99", ms(echoSeq.p99), ratio(seq.p99, echoSeq.p99), ""},
		{"warm invokes/s, sequential", rate(seq.rate), "net/http echo req/s", rate(echoSeq.rate), fmt.Sprintf("%.2fx", seq.rate/echoSeq.rate), ""},
		{fmt.Sprintf("warm invokes/s, %d clients", *clients), rate(par.rate), fmt.Sprintf("net/http echo, %d clients", *clients), rate(echoPar.rate), fmt.Sprintf("%.2fx", par.rate/echoPar.rate), ""},
		{fmt.Sprintf("%d clients vs sequential", *clients), fmt.Sprintf("%.2fx", par.rate/seq.rate), "", "", "", ">= 2x, 0 errors"},
		{fmt.Sprintf("errors (sequential / %d clients)", *clients), fmt.Sprintf("%d / %d", seq.errors, par.errors), "", "", "", "0"},
		{"cold start to first response p50", ms(coldP50), "fork/exec to first /next p50", ms(forkP50), ratio(coldP50, forkP50), "<= 1.5x"},
	}
	fmt.Printf("\n%s, %d cores, %s, store=%s\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), numCPU(), goVersion(), storeKind(*inMemory))
	fmt.Println("| measure | value | floor | floor value | ratio | target |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", r.name, r.value, r.floorName, r.floor, r.ratio, r.target)
	}
	return nil
}

func createFunction(ctx context.Context, c *lambda.Client, name string, zip []byte) error {
	_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      types.RuntimeProvidedal2023,
		Handler:      aws.String("bootstrap"),
		Role:         aws.String("arn:aws:iam::000000000000:role/bench"),
		Code:         &types.FunctionCode{ZipFile: zip},
		Timeout:      aws.Int32(10),
	})
	if err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	w := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = 200 * time.Millisecond
	})
	return w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}, 30*time.Second)
}

type result struct {
	p50, p99 time.Duration
	rate     float64
	errors   int
}

// measure runs fn from `workers` goroutines until n calls are done or maxTime has passed.
func measure(workers, n int, maxTime time.Duration, fn func() error) result {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		wg        sync.WaitGroup
	)
	next := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		next <- struct{}{}
	}
	close(next)
	deadline := time.Now().Add(maxTime)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				if time.Now().After(deadline) {
					return
				}
				t := time.Now()
				err := fn()
				d := time.Since(t)
				mu.Lock()
				latencies = append(latencies, d)
				if err != nil {
					errs++
					if *logErrors {
						fmt.Fprintln(os.Stderr, err)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	return result{p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate: float64(len(latencies)) / elapsed.Seconds(), errors: errs}
}

// httpEchoFloor is a plain net/http server echoing a small body, called with keep-alive.
func httpEchoFloor(workers int) (result, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Write(body)
	})}
	go srv.Serve(l)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	url := "http://" + l.Addr().String() + "/"
	call := func() error {
		resp, err := client.Post(url, "application/json", strings.NewReader(`{"bench":true}`))
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return err
	}
	for i := 0; i < 100; i++ {
		call()
	}
	return measure(workers, *warmN*3, *maxTime, call), nil
}

// forkExecFloor starts the bootstrap against a bare Runtime API stub and times exec to its first
// GET /next: what any cold start must pay on this machine.
func forkExecFloor(bootstrap string, n int) (time.Duration, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	arrived := make(chan time.Time, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/invocation/next") {
			select {
			case arrived <- time.Now():
			default:
			}
			<-r.Context().Done() // hold the long poll until the process is killed
		}
	})}
	go srv.Serve(l)
	defer srv.Close()
	var times []time.Duration
	for i := 0; i < n; i++ {
		cmd := exec.Command(bootstrap)
		cmd.Dir = filepath.Dir(bootstrap)
		cmd.Env = []string{
			"AWS_LAMBDA_RUNTIME_API=" + l.Addr().String(),
			"AWS_LAMBDA_FUNCTION_NAME=floor", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128", "_HANDLER=bootstrap",
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return 0, err
		}
		select {
		case t := <-arrived:
			times = append(times, t.Sub(start))
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			return 0, fmt.Errorf("bootstrap never called /next")
		}
		cmd.Process.Kill()
		cmd.Wait()
	}
	return percentile(times, 50), nil
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p+99)/100 - 1
	if i < 0 {
		i = 0
	}
	return s[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }
func rate(r float64) string     { return fmt.Sprintf("%.0f/s", r) }
func ratio(a, b time.Duration) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}
func storeKind(mem bool) string {
	if mem {
		return "in-memory"
	}
	return "durable"
}
