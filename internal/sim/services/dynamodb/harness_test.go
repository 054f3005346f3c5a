package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
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
	t       testing.TB
	clock   *clock.Manual
	dir     string // "" for a temporary store
	cfg     Config
	store   *store.Store
	svc     *Service
	srv     *httptest.Server
	db      *dynamodb.Client
	streams *dynamodbstreams.Client
}

// newHarness starts the service under a manual clock on a temporary store, or on dir.
func newHarness(t testing.TB, dir string, configure ...func(*Config)) *harness {
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
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	// One attempt: the SDK retries throttles, which would only hide what the tests look for.
	h.db = dynamodb.New(dynamodb.Options{BaseEndpoint: aws.String(h.srv.URL), Region: "us-east-1", Credentials: creds, RetryMaxAttempts: 1, HTTPClient: simtest.HTTPClient()})
	h.streams = dynamodbstreams.New(dynamodbstreams.Options{BaseEndpoint: aws.String(h.srv.URL), Region: "us-east-1", Credentials: creds, RetryMaxAttempts: 1, HTTPClient: simtest.HTTPClient()})
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

// createTable creates a table keyed by pk (S) and, if sortType is set, sk of that type, with a
// stream of viewType ("" for none), and lets it become ACTIVE.
func (h *harness) createTable(name string, sortType types.ScalarAttributeType, viewType types.StreamViewType) *types.TableDescription {
	h.t.Helper()
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	}
	if sortType != "" {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("sk"), AttributeType: sortType})
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange})
	}
	if viewType != "" {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: viewType}
	}
	if _, err := h.db.CreateTable(ctx(), in); err != nil {
		h.t.Fatalf("CreateTable(%s): %v", name, err)
	}
	h.clock.Advance(time.Second)
	out, err := h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		h.t.Fatalf("DescribeTable(%s): %v", name, err)
	}
	if out.Table.TableStatus != types.TableStatusActive {
		h.t.Fatalf("table %s is %s, want ACTIVE", name, out.Table.TableStatus)
	}
	return out.Table
}

func (h *harness) put(table string, item map[string]types.AttributeValue) {
	h.t.Helper()
	if _, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		h.t.Fatalf("PutItem(%s): %v", table, err)
	}
}

func (h *harness) get(table string, key map[string]types.AttributeValue) map[string]types.AttributeValue {
	h.t.Helper()
	out, err := h.db.GetItem(ctx(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		h.t.Fatalf("GetItem(%s): %v", table, err)
	}
	return out.Item
}

// records reads every record of every shard of a stream from TRIM_HORIZON.
func (h *harness) records(streamARN string) []streamtypes.Record {
	h.t.Helper()
	d, err := h.streams.DescribeStream(ctx(), &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(streamARN)})
	if err != nil {
		h.t.Fatalf("DescribeStream: %v", err)
	}
	var all []streamtypes.Record
	for _, sh := range d.StreamDescription.Shards {
		it, err := h.streams.GetShardIterator(ctx(), &dynamodbstreams.GetShardIteratorInput{
			StreamArn: aws.String(streamARN), ShardId: sh.ShardId, ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon,
		})
		if err != nil {
			h.t.Fatalf("GetShardIterator: %v", err)
		}
		all = append(all, h.readAll(it.ShardIterator)...)
	}
	return all
}

// readAll follows iterators until a page comes back empty or the shard ends.
func (h *harness) readAll(it *string) []streamtypes.Record {
	h.t.Helper()
	var all []streamtypes.Record
	for i := 0; i < 1000 && it != nil; i++ {
		out, err := h.streams.GetRecords(ctx(), &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		if err != nil {
			h.t.Fatalf("GetRecords: %v", err)
		}
		all = append(all, out.Records...)
		if len(out.Records) == 0 {
			return all
		}
		it = out.NextShardIterator
	}
	return all
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
func key(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(pk)}
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

func wantError(t *testing.T, err error, code, message string) {
	t.Helper()
	wantCode(t, err, code)
	if got := apiMessage(err); got != message {
		t.Fatalf("got message %q, want %q", got, message)
	}
}

// render shows an item readably, for failure messages and comparisons.
func render(it map[string]types.AttributeValue) string {
	names := make([]string, 0, len(it))
	for k := range it {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k + ": " + renderValue(it[k]))
	}
	b.WriteString("}")
	return b.String()
}

func renderValue(v types.AttributeValue) string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return fmt.Sprintf("S:%q", v.Value)
	case *types.AttributeValueMemberN:
		return "N:" + v.Value
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("B:%x", v.Value)
	case *types.AttributeValueMemberSS:
		return fmt.Sprintf("SS:%q", v.Value)
	case *types.AttributeValueMemberNS:
		return fmt.Sprintf("NS:%v", v.Value)
	case *types.AttributeValueMemberBS:
		return fmt.Sprintf("BS:%x", v.Value)
	case *types.AttributeValueMemberNULL:
		return fmt.Sprintf("NULL:%v", v.Value)
	case *types.AttributeValueMemberBOOL:
		return fmt.Sprintf("BOOL:%v", v.Value)
	case *types.AttributeValueMemberL:
		parts := make([]string, len(v.Value))
		for i, e := range v.Value {
			parts[i] = renderValue(e)
		}
		return "L:[" + strings.Join(parts, ", ") + "]"
	case *types.AttributeValueMemberM:
		return "M:" + render(v.Value)
	case nil:
		return "nil"
	}
	return fmt.Sprintf("%T", v)
}

func wantItem(t *testing.T, what string, got, want map[string]types.AttributeValue) {
	t.Helper()
	if render(got) != render(want) {
		t.Errorf("%s =\n  %s\nwant\n  %s", what, render(got), render(want))
	}
}

type storeTx = store.Tx
