package esm

import "testing"

func TestParseBatchResponse(t *testing.T) {
	ids := map[string]bool{"a": true, "b": true}
	cases := []struct {
		payload string
		failed  []string
		whole   bool
	}{
		{"", nil, false},
		{"null", nil, false},
		{"{}", nil, false},
		{`{"batchItemFailures":null}`, nil, false},
		{`{"batchItemFailures":[]}`, nil, false},
		{`{"batchItemFailures":[{"itemIdentifier":"b"}]}`, []string{"b"}, false},
		{`{"batchItemFailures":[{"itemIdentifier":"a"},{"itemIdentifier":"b"}]}`, []string{"a", "b"}, false},
		{`{"batchItemFailures":[{"itemIdentifier":""}]}`, nil, true},
		{`{"batchItemFailures":[{"itemIdentifier":null}]}`, nil, true},
		{`{"batchItemFailures":[{"itemId":"a"}]}`, nil, true},
		{`{"batchItemFailures":[{"itemIdentifier":"zzz"}]}`, nil, true},
		{`{"batchItemFailures":[{"itemIdentifier":5}]}`, nil, true},
		{`{"batchItemFailures":"a"}`, nil, true},
		{`{"batchItemFailures":[`, nil, true},
		{`"ok"`, nil, true},
	}
	for _, c := range cases {
		failed, whole := parseBatchResponse([]byte(c.payload), ids)
		if whole != c.whole || len(failed) != len(c.failed) {
			t.Errorf("%s: failed %v whole %v, want %v %v", c.payload, failed, whole, c.failed, c.whole)
			continue
		}
		for _, id := range c.failed {
			if !failed[id] {
				t.Errorf("%s: %s not failed", c.payload, id)
			}
		}
	}
}

func FuzzParseBatchResponse(f *testing.F) {
	for _, s := range []string{"", "null", "{}", `{"batchItemFailures":[{"itemIdentifier":"a"}]}`, `{"batchItemFailures":[{"itemId":"a"}]}`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		failed, whole := parseBatchResponse(b, map[string]bool{"a": true})
		if whole && failed != nil {
			t.Fatal("a whole-batch failure lists no items")
		}
		for id := range failed {
			if id != "a" {
				t.Fatalf("unknown id %q reported", id)
			}
		}
	})
}
