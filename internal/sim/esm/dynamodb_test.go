package esm_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	dynamodbsdk "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

// table creates a table with a NEW_AND_OLD_IMAGES stream and returns the stream's ARN.
func (h *harness) table(t testing.TB, name string) string {
	t.Helper()
	_, err := h.dc.CreateTable(ctx, &dynamodbsdk.CreateTableInput{TableName: aws.String(name), BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
		StreamSpecification:  &ddbtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: ddbtypes.StreamViewTypeNewAndOldImages}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitFor)
	for {
		h.clk.Advance(time.Second)
		arn, enabled, err := h.dynamo.LatestStreamARNInternal(name)
		if err == nil && enabled && arn != "" {
			if info, err := h.dynamo.DescribeStreamInternal(arn); err == nil && info.Status == "ENABLED" {
				return arn
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("table %s's stream never became ENABLED", name)
		}
		time.Sleep(time.Millisecond)
	}
}

func (h *harness) putItem(t testing.TB, table string, item map[string]string) {
	t.Helper()
	av := map[string]ddbtypes.AttributeValue{}
	for k, v := range item {
		av[k] = &ddbtypes.AttributeValueMemberS{Value: v}
	}
	if _, err := h.dc.PutItem(ctx, &dynamodbsdk.PutItemInput{TableName: aws.String(table), Item: av}); err != nil {
		t.Fatal(err)
	}
}

type ddbEvent struct {
	Records []struct {
		EventName      string `json:"eventName"`
		EventSource    string `json:"eventSource"`
		EventSourceARN string `json:"eventSourceARN"`
		Dynamodb       struct {
			Keys           map[string]map[string]string `json:"Keys"`
			NewImage       map[string]map[string]string `json:"NewImage"`
			SequenceNumber string                       `json:"SequenceNumber"`
		} `json:"dynamodb"`
	} `json:"Records"`
}

func (h *harness) ddbBatches(t testing.TB, arn string) []ddbEvent {
	t.Helper()
	var out []ddbEvent
	for _, c := range h.rec.calls() {
		if c.trigger != "dynamodb:"+arn {
			continue
		}
		var ev ddbEvent
		if err := json.Unmarshal(c.payload, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

func TestDynamoDB_streamRecordsInOrderWithFilter(t *testing.T) {
	h := start(t, t.TempDir())
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.table(t, "orders")
	h.putItem(t, "orders", map[string]string{"id": "1", "keep": "yes"})
	h.putItem(t, "orders", map[string]string{"id": "2", "keep": "no"})
	h.putItem(t, "orders", map[string]string{"id": "3", "keep": "yes"})
	h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon,
		FilterCriteria:   &lambdatypes.FilterCriteria{Filters: []lambdatypes.Filter{{Pattern: aws.String(`{"dynamodb":{"NewImage":{"keep":{"S":["yes"]}}}}`)}}}})
	h.advanceUntil(t, "the stream batch", func() bool { return len(h.ddbBatches(t, arn)) >= 1 })
	got := h.ddbBatches(t, arn)[0]
	if len(got.Records) != 2 || got.Records[0].Dynamodb.Keys["id"]["S"] != "1" || got.Records[1].Dynamodb.Keys["id"]["S"] != "3" {
		t.Fatalf("batch %+v, want items 1 and 3 in order", got)
	}
	r := got.Records[0]
	if r.EventName != "INSERT" || r.EventSource != "aws:dynamodb" || r.EventSourceARN != arn || r.Dynamodb.NewImage["keep"]["S"] != "yes" {
		t.Errorf("record %+v", r)
	}
	// The filtered-out record moved the checkpoint: the next batch is only the next write.
	h.putItem(t, "orders", map[string]string{"id": "4", "keep": "yes"})
	h.advanceUntil(t, "the next batch", func() bool { return len(h.ddbBatches(t, arn)) >= 2 })
	if b := h.ddbBatches(t, arn)[1]; len(b.Records) != 1 || b.Records[0].Dynamodb.Keys["id"]["S"] != "4" {
		t.Fatalf("second batch %+v", b)
	}
}
