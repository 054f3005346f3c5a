package kinesis

import (
	"context"
	"io"
	"log/slog"
	"math"
	"reflect"
	"sort"
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Request bodies from kinesis@v1.56.13's request_snapshot/*.snap, the SDK's own bytes.
var snapshotRequests = map[string]string{
	"CreateStream":                  `{"MaxRecordSizeInKiB":1,"RecordDistributionStrategy":"AUTO","ShardCount":1,"StreamModeDetails":{"StreamMode":"PROVISIONED"},"StreamName":"__StreamName__","Tags":{"key0":"__Value__"},"WarmThroughputMiBps":1}`,
	"PutRecord":                     `{"Data":"YmxvYg==","DryRun":true,"ExplicitHashKey":"__ExplicitHashKey__","PartitionKey":"__PartitionKey__","SequenceNumberForOrdering":"__SequenceNumberForOrdering__","StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"PutRecords":                    `{"DryRun":true,"Records":[{"Data":"YmxvYg==","ExplicitHashKey":"__ExplicitHashKey__","PartitionKey":"__PartitionKey__"},{"Data":"YmxvYg==","ExplicitHashKey":"__ExplicitHashKey__","PartitionKey":"__PartitionKey__"}],"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"GetRecords":                    `{"DryRun":true,"Limit":1,"ShardIterator":"__ShardIterator__","StreamARN":"__StreamARN__","StreamId":"__StreamId__"}`,
	"GetShardIterator":              `{"DryRun":true,"ShardId":"__ShardId__","ShardIteratorType":"AT_SEQUENCE_NUMBER","StartingSequenceNumber":"__StartingSequenceNumber__","StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__","Timestamp":946684800}`,
	"ListShards":                    `{"ExclusiveStartShardId":"__ExclusiveStartShardId__","MaxResults":1,"NextToken":"__NextToken__","ShardFilter":{"ShardId":"__ShardId__","Timestamp":946684800,"Type":"AFTER_SHARD_ID"},"StreamARN":"__StreamARN__","StreamCreationTimestamp":946684800,"StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"AddTagsToStream":               `{"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__","Tags":{"key0":"__Value__"}}`,
	"DeleteStream":                  `{"EnforceConsumerDeletion":true,"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"DescribeStream":                `{"ExclusiveStartShardId":"__ExclusiveStartShardId__","Limit":1,"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"DescribeStreamSummary":         `{"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"ListStreams":                   `{"ExclusiveStartStreamName":"__ExclusiveStartStreamName__","Limit":1,"NextToken":"__NextToken__"}`,
	"ListTagsForStream":             `{"ExclusiveStartTagKey":"__ExclusiveStartTagKey__","Limit":1,"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"MergeShards":                   `{"AdjacentShardToMerge":"__AdjacentShardToMerge__","ShardToMerge":"__ShardToMerge__","StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"SplitShard":                    `{"NewStartingHashKey":"__NewStartingHashKey__","ShardToSplit":"__ShardToSplit__","StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"UpdateShardCount":              `{"ScalingType":"UNIFORM_SCALING","StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__","TargetShardCount":1}`,
	"IncreaseStreamRetentionPeriod": `{"RetentionPeriodHours":1,"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"DecreaseStreamRetentionPeriod": `{"RetentionPeriodHours":1,"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__"}`,
	"RemoveTagsFromStream":          `{"StreamARN":"__StreamARN__","StreamId":"__StreamId__","StreamName":"__StreamName__","TagKeys":["__Member__","__Member__"]}`,
	"DescribeLimits":                `{}`,
	"TagResource":                   `{"ResourceARN":"__ResourceARN__","StreamId":"__StreamId__","Tags":{"key0":"__Value__"}}`,
	"UntagResource":                 `{"ResourceARN":"__ResourceARN__","StreamId":"__StreamId__","TagKeys":["__Member__","__Member__"]}`,
	"ListTagsForResource":           `{"ResourceARN":"__ResourceARN__","StreamId":"__StreamId__"}`,
	"UpdateMaxRecordSize":           `{"MaxRecordSizeInKiB":1,"StreamARN":"__StreamARN__","StreamId":"__StreamId__"}`,
}

// fuzzService is a service with one ACTIVE stream "s" of two shards, holding a record.
func fuzzService(f *testing.F) *Service {
	st, err := store.OpenTemp()
	if err != nil {
		f.Fatal(err)
	}
	svc, err := New(Config{Store: st, Clock: clock.NewManual(testStart), CreateDelay: -1, UpdateDelay: -1, DeleteDelay: -1,
		ShardQuota: 64, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { svc.Close(); st.Close() })
	if _, e := svc.api.Ops["CreateStream"](context.Background(), []byte(`{"StreamName":"s","ShardCount":2}`)); e != nil {
		f.Fatal(e)
	}
	if _, e := svc.api.Ops["PutRecord"](context.Background(), []byte(`{"StreamName":"s","PartitionKey":"k","Data":"eA=="}`)); e != nil {
		f.Fatal(e)
	}
	return svc
}

// FuzzRequest feeds arbitrary bodies to every operation's decoder and validation: no panic, and
// nothing but a client error (4xx) for input that is merely wrong.
func FuzzRequest(f *testing.F) {
	svc := fuzzService(f)
	names := make([]string, 0, len(svc.api.Ops))
	for name := range svc.api.Ops {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		if body, ok := snapshotRequests[name]; ok {
			f.Add(uint8(i), []byte(body))
		}
		f.Add(uint8(i), []byte(`{"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON","PartitionKey":"k","Data":"eA==","Records":[{"PartitionKey":"k","Data":""}],"ShardToSplit":"0","NewStartingHashKey":"99","ShardToMerge":"0","AdjacentShardToMerge":"1"}`))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		name := names[int(which)%len(names)]
		_, e := svc.api.Ops[name](context.Background(), body)
		if e != nil && e.Status >= 500 {
			t.Fatalf("%s(%q): server error %v", name, body, e)
		}
	})
}

// FuzzCBORDecode: no panic, and whatever decodes re-encodes to the same value.
func FuzzCBORDecode(f *testing.F) {
	f.Add(cborEncode(map[string]any{"StreamName": "s", "Data": []byte{1, 2}, "Timestamp": cborTag{number: 1, value: int64(1700000000000)}}))
	f.Add([]byte{0xbf, 0x61, 0x61, 0x01, 0x61, 0x62, 0x9f, 0x02, 0x03, 0xff, 0xff})
	f.Add([]byte{0x5f, 0x42, 0x01, 0x02, 0x43, 0x03, 0x04, 0x05, 0xff})
	f.Add([]byte{0xf9, 0x7c, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		cborRequestToJSON(data)
		v, err := cborDecode(data)
		if err != nil || hasNaN(v) {
			return
		}
		again, err := cborDecode(cborEncode(v))
		if err != nil {
			t.Fatalf("re-encoding %#v: %v", v, err)
		}
		if !reflect.DeepEqual(normalizeCBOR(v), normalizeCBOR(again)) {
			t.Fatalf("round trip changed %#v into %#v", v, again)
		}
	})
}

func hasNaN(v any) bool {
	switch v := v.(type) {
	case float64:
		return math.IsNaN(v)
	case []any:
		for _, x := range v {
			if hasNaN(x) {
				return true
			}
		}
	case map[string]any:
		for _, x := range v {
			if hasNaN(x) {
				return true
			}
		}
	case cborTag:
		return hasNaN(v.value)
	}
	return false
}

// normalizeCBOR maps integers that encode alike (a negative int64 decoded back) to one form.
func normalizeCBOR(v any) any {
	switch v := v.(type) {
	case int64:
		if v >= 0 {
			return uint64(v)
		}
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalizeCBOR(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = normalizeCBOR(x)
		}
		return out
	case cborTag:
		return cborTag{number: v.number, value: normalizeCBOR(v.value)}
	}
	return v
}

// FuzzShardIterator: no panic, and only tokens this service made are accepted.
func FuzzShardIterator(f *testing.F) {
	svc := fuzzService(f)
	good := svc.encodeIterator(shardIterator{incarnation: 1, stream: "s", shardIndex: 1, position: 7, issuedMS: testStart.UnixMilli()})
	f.Add(good)
	f.Add("AAAAAAAAAAE=")
	f.Add(good[:len(good)-4] + "AAA=")
	f.Fuzz(func(t *testing.T, token string) {
		it, err := svc.decodeIterator(token)
		if err != nil {
			return
		}
		if svc.encodeIterator(it) != token && token != good {
			// Base64 has more than one spelling of some byte strings; the bytes must still match.
			if again, err := svc.decodeIterator(svc.encodeIterator(it)); err != nil || again != it {
				t.Fatalf("accepted %q as %+v", token, it)
			}
		}
	})
}

// FuzzSequenceNumber: no panic, and what parses prints back the same.
func FuzzSequenceNumber(f *testing.F) {
	f.Add("49600871682957036442365024926191073437251060580128653314")
	f.Add(seqParts{shardCreated: 1700000000, shardIndex: 17, counter: 12345, recordTime: 1700000100}.String())
	f.Add("0")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseSeq(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("%s parsed as %+v prints %s", s, p, p.String())
		}
	})
}
