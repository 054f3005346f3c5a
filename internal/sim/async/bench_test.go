package async_test

import (
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// BenchmarkAsyncEvents sends b.N Event invocations of a warm echo function from 4 clients over
// HTTP, on the wall clock, and reports: accepted/s (202s per second of sending), delivered/s
// (events run per second from the first send to the last start), the p50 delay from a 202 to the
// start of its invocation, and that delay as a ratio to the p50 of a warm synchronous invoke.
func BenchmarkAsyncEvents(b *testing.B) {
	e := newRealEnv(b)
	e.createFunction("bench", testfn.Echo, nil)
	ctx := e.ctx()
	// Warm: as many environments as the queue has workers, and a p50 of warm sync invokes.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.lc.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("bench"), Payload: []byte(`{"warm":true}`)})
		}()
	}
	wg.Wait()
	var syncLat []time.Duration
	for range 50 {
		t := time.Now()
		if _, err := e.lc.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("bench"), Payload: []byte(`{"sync":true}`)}); err != nil {
			b.Fatal(err)
		}
		syncLat = append(syncLat, time.Since(t))
	}
	before := len(e.records("bench"))

	accepted := make(map[string]time.Time, b.N)
	var mu sync.Mutex
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				out, err := e.lc.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("bench"), InvocationType: lambdatypes.InvocationTypeEvent, Payload: []byte(`{"async":true}`)})
				if err != nil || out.StatusCode != 202 {
					b.Errorf("Invoke Event: %v", err)
					return
				}
				id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
				mu.Lock()
				accepted[id] = time.Now()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sent := time.Since(start)
	var recs []invlog.Record
	e.waitUntil("every event to run", func() bool {
		recs = e.records("bench")
		return len(recs)-before >= b.N
	})
	b.StopTimer()
	var delays []time.Duration
	var last time.Time
	for _, r := range recs[before:] {
		if at, ok := accepted[r.RequestID]; ok {
			delays = append(delays, r.Start.Sub(at))
			if r.Start.After(last) {
				last = r.Start
			}
		}
	}
	p50 := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	delay, syncP50 := p50(delays), p50(syncLat)
	b.ReportMetric(float64(b.N)/sent.Seconds(), "accepted/s")
	b.ReportMetric(float64(b.N)/last.Sub(start).Seconds(), "delivered/s")
	b.ReportMetric(float64(delay.Microseconds())/1000, "p50-delay-ms")
	b.ReportMetric(float64(syncP50.Microseconds())/1000, "sync-p50-ms")
	b.ReportMetric(float64(delay)/float64(syncP50), "delay/sync")
}
