// Command batch is a test function for poll mappings. It receives an SQS, Kinesis or DynamoDB
// Streams batch and answers as ReportBatchItemFailures expects:
//
//   - a record whose content contains "fail-item" is reported in batchItemFailures (messageId for
//     SQS, the sequence number for streams);
//   - a record whose content contains "fail-batch" fails the whole invocation (a function error);
//   - with a tumbling window (the event has "window"), it returns {"state": {"records": N}} where N
//     counts the window's records so far, and reports the final invocation of a window in its logs.
//
// The content is the SQS body, the Kinesis data (base64-decoded), or the DynamoDB record's keys and
// new image as JSON.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

type record struct {
	MessageID string `json:"messageId"`
	Body      string `json:"body"`
	Kinesis   *struct {
		Data           string `json:"data"`
		SequenceNumber string `json:"sequenceNumber"`
	} `json:"kinesis"`
	DynamoDB *struct {
		SequenceNumber string          `json:"SequenceNumber"`
		Keys           json.RawMessage `json:"Keys"`
		NewImage       json.RawMessage `json:"NewImage"`
	} `json:"dynamodb"`
}

type event struct {
	Records []record `json:"Records"`
	// Tumbling windows (Kinesis, DynamoDB).
	Window                  json.RawMessage `json:"window"`
	State                   map[string]int  `json:"state"`
	IsFinalInvokeForWindow  bool            `json:"isFinalInvokeForWindow"`
	IsWindowTerminatedEarly bool            `json:"isWindowTerminatedEarly"`
}

type itemFailure struct {
	ItemIdentifier string `json:"itemIdentifier"`
}

type response struct {
	BatchItemFailures []itemFailure  `json:"batchItemFailures"`
	State             map[string]int `json:"state,omitempty"`
}

// content and identifier of a record, whatever its source.
func (r record) content() (string, string) {
	switch {
	case r.Kinesis != nil:
		data, err := base64.StdEncoding.DecodeString(r.Kinesis.Data)
		if err != nil {
			return r.Kinesis.Data, r.Kinesis.SequenceNumber
		}
		return string(data), r.Kinesis.SequenceNumber
	case r.DynamoDB != nil:
		return string(r.DynamoDB.Keys) + string(r.DynamoDB.NewImage), r.DynamoDB.SequenceNumber
	}
	return r.Body, r.MessageID
}

func handle(ctx context.Context, ev event) (response, error) {
	resp := response{BatchItemFailures: []itemFailure{}}
	for _, r := range ev.Records {
		content, id := r.content()
		if strings.Contains(content, "fail-batch") {
			return response{}, errors.New("batch: a record asked the whole batch to fail")
		}
		if strings.Contains(content, "fail-item") {
			resp.BatchItemFailures = append(resp.BatchItemFailures, itemFailure{ItemIdentifier: id})
		}
	}
	if len(ev.Window) > 0 {
		resp.State = map[string]int{"records": ev.State["records"] + len(ev.Records)}
		fmt.Printf("batch: window %s holds %d records (final: %v)\n", ev.Window, resp.State["records"], ev.IsFinalInvokeForWindow)
	}
	fmt.Printf("batch: %d records, %d failed\n", len(ev.Records), len(resp.BatchItemFailures))
	return resp, nil
}

func main() { lambda.Start(handle) }
