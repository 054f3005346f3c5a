package kinesis

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

const testAccount = "000000000000"

var testStart = time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC)

type harness struct {
	t      *testing.T
	clock  *clock.Manual
	dir    string // "" for a temporary store
	cfg    Config
	store  *store.Store
	svc    *Service
	srv    *httptest.Server
	client *kinesis.Client
}

// newHarness starts the service under a manual clock on a temporary store, or on dir.
func newHarness(t *testing.T, dir string, configure ...func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, clock: clock.NewManual(testStart), dir: dir}
	for _, c := range configure {
		c(&h.cfg)
	}
	h.open()
	t.Cleanup(h.close)
	return h
}

func (h *harness) open() {
	h.t.Helper()
	var err error
	if h.dir == "" {
		h.store, err = store.OpenTemp()
	} else {
		h.store, err = store.Open(h.dir)
	}
	if err != nil {
		h.t.Fatal(err)
	}
	cfg := h.cfg
	cfg.Store, cfg.Clock, cfg.Region, cfg.AccountID = h.store, h.clock, "us-east-1", testAccount
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	h.svc, err = New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	router := server.NewRouter()
	h.svc.Register(router)
	h.srv = httptest.NewServer(awswire.WithRequestID(router))
	h.client = kinesis.New(kinesis.Options{
		BaseEndpoint: aws.String(h.srv.URL),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		// One attempt: the SDK retries throttles and LimitExceededException, which would only
		// hide what the tests look for.
		RetryMaxAttempts: 1,
		HTTPClient:       simtest.HTTPClient(),
	})
}

func (h *harness) close() {
	if h.srv == nil {
		return
	}
	h.srv.Close()
	h.svc.Close()
	h.store.Close()
	h.srv = nil
}

// restart closes the service and its store and opens them again on the same directory.
func (h *harness) restart() {
	h.t.Helper()
	h.close()
	h.open()
}

func ctx() context.Context { return context.Background() }

// createStream creates a provisioned stream and lets it become ACTIVE.
func (h *harness) createStream(name string, shards int32) {
	h.t.Helper()
	if _, err := h.client.CreateStream(ctx(), &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		h.t.Fatalf("CreateStream(%s): %v", name, err)
	}
	h.clock.Advance(time.Second)
	h.waitStatus(name, types.StreamStatusActive)
}

func (h *harness) waitStatus(name string, want types.StreamStatus) *types.StreamDescriptionSummary {
	h.t.Helper()
	out, err := h.client.DescribeStreamSummary(ctx(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil {
		h.t.Fatalf("DescribeStreamSummary(%s): %v", name, err)
	}
	if got := out.StreamDescriptionSummary.StreamStatus; got != want {
		h.t.Fatalf("stream %s is %s, want %s", name, got, want)
	}
	return out.StreamDescriptionSummary
}

func (h *harness) shards(name string) []types.Shard {
	h.t.Helper()
	out, err := h.client.ListShards(ctx(), &kinesis.ListShardsInput{StreamName: aws.String(name)})
	if err != nil {
		h.t.Fatalf("ListShards(%s): %v", name, err)
	}
	return out.Shards
}

func (h *harness) put(name, key, data string) *kinesis.PutRecordOutput {
	h.t.Helper()
	out, err := h.client.PutRecord(ctx(), &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String(key), Data: []byte(data)})
	if err != nil {
		h.t.Fatalf("PutRecord(%s, %s): %v", name, key, err)
	}
	return out
}

func (h *harness) iterator(name, shard string, kind types.ShardIteratorType, seq *string, at *time.Time) string {
	h.t.Helper()
	out, err := h.client.GetShardIterator(ctx(), &kinesis.GetShardIteratorInput{
		StreamName: aws.String(name), ShardId: aws.String(shard), ShardIteratorType: kind,
		StartingSequenceNumber: seq, Timestamp: at,
	})
	if err != nil {
		h.t.Fatalf("GetShardIterator(%s, %s, %s): %v", name, shard, kind, err)
	}
	return *out.ShardIterator
}

// readAll follows iterators from it until a page comes back empty (or the shard ends).
func (h *harness) readAll(it string) []types.Record {
	h.t.Helper()
	var all []types.Record
	for i := 0; i < 1000; i++ {
		out, err := h.client.GetRecords(ctx(), &kinesis.GetRecordsInput{ShardIterator: aws.String(it)})
		if err != nil {
			h.t.Fatalf("GetRecords: %v", err)
		}
		all = append(all, out.Records...)
		if out.NextShardIterator == nil || len(out.Records) == 0 {
			return all
		}
		it = *out.NextShardIterator
	}
	h.t.Fatal("readAll did not finish")
	return nil
}

func datas(recs []types.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = string(r.Data)
	}
	return out
}

// apiCode is the AWS error code of err, or "" if it is not an API error.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := apiCode(err); got != code {
		t.Fatalf("got error %v (code %q), want %s", err, got, code)
	}
}

type storeTx = store.Tx
