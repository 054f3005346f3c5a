package esm_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	kinesissdk "github.com/aws/aws-sdk-go-v2/service/kinesis"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	sqssdk "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// The benchmarks of issue 6 run on the real clock:
//
//	go test -run XXX -bench . ./internal/sim/esm/
//
// ESM_BENCH_DRAIN sets the drain benchmark's message count (default 10,000; the figure
// is 100,000).

// realMapping waits, in real time, until a mapping is Enabled.
func (h *harness) realMapping(b *testing.B, in *lambdasdk.CreateEventSourceMappingInput) string {
	b.Helper()
	out, err := h.lc.CreateEventSourceMapping(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	h.waitReal(b, *out.UUID, "Enabled")
	return *out.UUID
}

func (h *harness) waitReal(b *testing.B, id, state string) {
	b.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		g, err := h.lc.GetEventSourceMapping(ctx, &lambdasdk.GetEventSourceMappingInput{UUID: aws.String(id)})
		if err != nil {
			b.Fatal(err)
		}
		if *g.State == state {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("mapping stays %s", *g.State)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// nextStart waits for the next invocation and returns when it began.
func (h *harness) nextStart(b *testing.B, seen int) time.Time {
	b.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		if calls := h.rec.calls(); len(calls) > seen {
			return calls[seen].start
		}
		select {
		case <-h.rec.at:
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.Fatal("no invocation")
		}
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	p := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}

func BenchmarkSQSSendToFunctionStart(b *testing.B) {
	h := startWith(b, b.TempDir(), clock.Real())
	h.createFunction(b, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(b, "q", nil)
	h.realMapping(b, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"), BatchSize: aws.Int32(1)})
	h.send(b, url, `{"warm":true}`) // the first invocation starts the function's process
	h.nextStart(b, 0)
	h.waitCounts(b, url, 0, 0)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sent := time.Now()
		h.send(b, url, `{"n":1}`)
		lat = append(lat, h.nextStart(b, i+1).Sub(sent))
		h.waitCounts(b, url, 0, 0)
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func BenchmarkSQSDrain(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("ESM_BENCH_DRAIN")); err == nil && v > 0 {
		n = v
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h := startWith(b, b.TempDir(), clock.Real())
		h.createFunction(b, "fn", testfn.ESMBatch)
		url, arn := h.createQueue(b, "q", nil)
		for j := 0; j < n; j += 10 {
			var entries []sqstypes.SendMessageBatchRequestEntry
			for k := j; k < min(j+10, n); k++ {
				entries = append(entries, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(k)), MessageBody: aws.String(fmt.Sprintf(`{"n":%d}`, k))})
			}
			if _, err := h.qc.SendMessageBatch(ctx, &sqssdk.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: entries}); err != nil {
				b.Fatal(err)
			}
		}
		// Warm the function on another queue so the drain measures polling, not cold starts.
		wurl, warn := h.createQueue(b, "warm", nil)
		h.send(b, wurl, `{}`)
		h.realMapping(b, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(warn), FunctionName: aws.String("fn")})
		h.waitCounts(b, wurl, 0, 0)
		b.StartTimer()
		began := time.Now()
		h.realMapping(b, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"), BatchSize: aws.Int32(10)})
		deadline := time.Now().Add(10 * time.Minute)
		for {
			v, f := h.counts(b, url)
			if v == 0 && f == 0 {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("%d visible and %d in flight after 10 minutes", v, f)
			}
			time.Sleep(10 * time.Millisecond)
		}
		b.ReportMetric(float64(n)/time.Since(began).Seconds(), "msgs/s")
		b.StopTimer()
		h.close()
	}
}

func BenchmarkKinesisPutToFunctionStart(b *testing.B) {
	h := startWith(b, b.TempDir(), clock.Real())
	h.createFunction(b, "fn", testfn.ESMBatch)
	if _, err := h.kc.CreateStream(ctx, &kinesissdk.CreateStreamInput{StreamName: aws.String("s"), ShardCount: aws.Int32(1)}); err != nil {
		b.Fatal(err)
	}
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/s"
	deadline := time.Now().Add(waitFor)
	for {
		if info, err := h.kinesis.DescribeInternal(arn); err == nil && info.Status == "ACTIVE" {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("stream never ACTIVE")
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.realMapping(b, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, BatchSize: aws.Int32(1)})
	h.put(b, "s", `{"warm":true}`)
	h.nextStart(b, 0)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		time.Sleep(time.Duration(i%10) * 97 * time.Millisecond) // spread the puts over the poll interval
		sent := time.Now()
		h.put(b, "s", `{"n":1}`)
		lat = append(lat, h.nextStart(b, i+1).Sub(sent))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}
