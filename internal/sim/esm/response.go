package esm

import (
	"bytes"
	"encoding/json"
)

// parseBatchResponse reads a partial batch response (ReportBatchItemFailures) against the batch's
// identifiers (message IDs for SQS, sequence numbers for streams). It returns the identifiers to
// retry, or whole=true when the whole batch counts as failed.
//
// AWS's rules (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html,
// "Success and failure conditions"; SEMANTICS.md C2): the batch is a complete success for an empty
// or null batchItemFailures list and for an empty or null response; it is a complete failure for
// an invalid JSON response, an empty or null itemIdentifier, an item with a bad key name, and an
// itemIdentifier that names no record of the batch. A response that is JSON but not an object
// cannot be read as the response type, and counts as invalid too.
func parseBatchResponse(payload []byte, ids map[string]bool) (failed map[string]bool, whole bool) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return nil, false
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &resp); err != nil {
		return nil, true
	}
	list, ok := resp["batchItemFailures"]
	if !ok || bytes.Equal(bytes.TrimSpace(list), []byte("null")) {
		return nil, false
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil {
		return nil, true
	}
	failed = map[string]bool{}
	for _, item := range items {
		raw, ok := item["itemIdentifier"]
		if !ok {
			return nil, true
		}
		var id *string
		if err := json.Unmarshal(raw, &id); err != nil || id == nil || *id == "" || !ids[*id] {
			return nil, true
		}
		failed[*id] = true
	}
	return failed, false
}
