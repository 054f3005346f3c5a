// Command esmbatch is a test function for event source mappings (the tests of internal/sim/esm).
// It reads an SQS, Kinesis or DynamoDB Streams batch and answers with a partial batch response
// chosen by the records:
//
//   - a record whose JSON body (SQS) or base64-decoded data (Kinesis) has "fail": true is listed in
//     batchItemFailures (messageId for SQS, sequence number for streams);
//   - the first record with a "respond" member picks the whole answer instead: "error" (the handler
//     returns an error), "null" (JSON null), "emptyobj" ({}), "empty" (an empty list), "badjson"
//     (bytes that are not JSON), "emptyid" (an empty itemIdentifier), "unknown" (an identifier of
//     no record), "wrongkey" ({"itemId": ...} instead of itemIdentifier), "string" (a JSON string).
//
// A record with "sleepMs": N makes the function sleep N milliseconds (to overlap invocations).
//
// With a tumbling window (the event has "window"), the answer also carries
// {"state": {"count": N}}, N counting the window's records so far.
//
// It prints one line per batch ("esmbatch: <n> records"); tests record the payloads themselves.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

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
		SequenceNumber string `json:"SequenceNumber"`
	} `json:"dynamodb"`
}

type directive struct {
	Fail    bool   `json:"fail"`
	Respond string `json:"respond"`
	SleepMS int    `json:"sleepMs"`
}

func handle(_ context.Context, event json.RawMessage) (io.Reader, error) {
	var ev struct {
		Records []record        `json:"Records"`
		Window  json.RawMessage `json:"window"`
		State   struct {
			Count int `json:"count"`
		} `json:"state"`
	}
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	fmt.Printf("esmbatch: %d records\n", len(ev.Records))
	type failure struct {
		ItemIdentifier string `json:"itemIdentifier"`
	}
	failures := []failure{}
	for _, r := range ev.Records {
		id, content := r.MessageID, []byte(r.Body)
		if r.Kinesis != nil {
			id = r.Kinesis.SequenceNumber
			content, _ = base64.StdEncoding.DecodeString(r.Kinesis.Data)
		}
		if r.DynamoDB != nil {
			id = r.DynamoDB.SequenceNumber
		}
		var d directive
		_ = json.Unmarshal(content, &d)
		time.Sleep(time.Duration(d.SleepMS) * time.Millisecond)
		switch d.Respond {
		case "":
		case "error":
			return nil, errors.New("esmbatch: asked to fail the whole batch")
		case "null":
			return raw("null"), nil
		case "emptyobj":
			return raw("{}"), nil
		case "empty":
			return raw(`{"batchItemFailures":[]}`), nil
		case "badjson":
			return raw(`{"batchItemFailures":[`), nil
		case "emptyid":
			return raw(`{"batchItemFailures":[{"itemIdentifier":""}]}`), nil
		case "unknown":
			return raw(`{"batchItemFailures":[{"itemIdentifier":"no-such-record"}]}`), nil
		case "wrongkey":
			return raw(`{"batchItemFailures":[{"itemId":"` + id + `"}]}`), nil
		case "string":
			return raw(`"ok"`), nil
		}
		if d.Fail {
			failures = append(failures, failure{id})
		}
	}
	resp := map[string]any{"batchItemFailures": failures}
	if ev.Window != nil {
		resp["state"] = map[string]int{"count": ev.State.Count + len(ev.Records)}
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(b), nil
}

func raw(s string) io.Reader { return bytes.NewReader([]byte(s)) }

func main() { lambda.Start(handle) }
