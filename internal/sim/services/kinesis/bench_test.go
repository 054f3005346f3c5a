package kinesis

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

// Benchmarks over the wire, with the real SDK client, on the durable store (fsync per commit)
// and on the in-memory one (OpenTemp, no fsync). "parallel" runs GOMAXPROCS*8 producers, where
// group commit shares one fsync among the writers that arrive during a commit.
//
//	go test ./internal/sim/services/kinesis/ -run '^$' -bench 'PutRecord' -benchtime 2s

func benchClient(b *testing.B, durable bool) *kinesis.Client {
	b.Helper()
	var st *store.Store
	var err error
	if durable {
		st, err = store.Open(b.TempDir())
	} else {
		st, err = store.OpenTemp()
	}
	if err != nil {
		b.Fatal(err)
	}
	svc, err := New(Config{Store: st, Clock: clock.Real(), CreateDelay: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	router := server.NewRouter()
	svc.Register(router)
	srv := httptest.NewServer(awswire.WithRequestID(router))
	b.Cleanup(func() { srv.Close(); svc.Close(); st.Close() })
	client := kinesis.New(kinesis.Options{BaseEndpoint: aws.String(srv.URL), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), RetryMaxAttempts: 1, HTTPClient: simtest.HTTPClient()})
	if _, err := client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String("bench"), ShardCount: aws.Int32(4)}); err != nil {
		b.Fatal(err)
	}
	return client
}

func storeKinds() []struct {
	name    string
	durable bool
} {
	return []struct {
		name    string
		durable bool
	}{{"durable", true}, {"memory", false}}
}

func BenchmarkPutRecord(b *testing.B) {
	data := make([]byte, 256)
	for _, kind := range storeKinds() {
		b.Run(kind.name+"/sequential", func(b *testing.B) {
			client := benchClient(b, kind.durable)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("bench"), PartitionKey: aws.String(fmt.Sprint(i % 64)), Data: data}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
		b.Run(kind.name+"/parallel", func(b *testing.B) {
			client := benchClient(b, kind.durable)
			var n atomic.Int64
			b.SetParallelism(8)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, err := client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String("bench"), PartitionKey: aws.String(fmt.Sprint(i % 64)), Data: data}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

func BenchmarkPutRecords(b *testing.B) {
	const perCall = 100
	entries := make([]types.PutRecordsRequestEntry, perCall)
	for i := range entries {
		entries[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprint(i)), Data: make([]byte, 256)}
	}
	for _, kind := range storeKinds() {
		b.Run(kind.name+"/sequential", func(b *testing.B) {
			client := benchClient(b, kind.durable)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out, err := client.PutRecords(ctx(), &kinesis.PutRecordsInput{StreamName: aws.String("bench"), Records: entries})
				if err != nil || *out.FailedRecordCount != 0 {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*perCall)/b.Elapsed().Seconds(), "records/s")
		})
		b.Run(kind.name+"/parallel", func(b *testing.B) {
			client := benchClient(b, kind.durable)
			b.SetParallelism(8)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := client.PutRecords(ctx(), &kinesis.PutRecordsInput{StreamName: aws.String("bench"), Records: entries}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*perCall)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkPutRecordInProcess calls the operation directly, without HTTP and the SDK: the cost
// of the service and its store alone.
func BenchmarkPutRecordInProcess(b *testing.B) {
	for _, durable := range []bool{true, false} {
		name := "memory"
		if durable {
			name = "durable"
		}
		b.Run(name, func(b *testing.B) {
			var st *store.Store
			var err error
			if durable {
				st, err = store.Open(b.TempDir())
			} else {
				st, err = store.OpenTemp()
			}
			if err != nil {
				b.Fatal(err)
			}
			svc, _ := New(Config{Store: st, Clock: clock.Real(), CreateDelay: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			defer func() { svc.Close(); st.Close() }()
			op := svc.api.Ops["PutRecord"]
			svc.api.Ops["CreateStream"](context.Background(), []byte(`{"StreamName":"b","ShardCount":4}`))
			body := []byte(`{"StreamName":"b","PartitionKey":"k","Data":"aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQ="}`)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, e := op(context.Background(), body); e != nil {
					b.Fatal(e)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
