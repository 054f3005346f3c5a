package kinesis

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Decoding examples from RFC 8949, Appendix A.
func TestCBOR_rfcExamples(t *testing.T) {
	cases := []struct {
		hex  string
		want any
	}{
		{"00", uint64(0)},
		{"17", uint64(23)},
		{"1818", uint64(24)},
		{"1903e8", uint64(1000)},
		{"1a000f4240", uint64(1000000)},
		{"1b000000e8d4a51000", uint64(1000000000000)},
		{"1bffffffffffffffff", uint64(18446744073709551615)},
		{"20", int64(-1)},
		{"3863", int64(-100)},
		{"f90000", 0.0},
		{"f93c00", 1.0},
		{"f97bff", 65504.0},
		{"fa47c35000", 100000.0},
		{"fb3ff199999999999a", 1.1},
		{"f90001", 5.960464477539063e-08},
		{"f9c400", -4.0},
		{"f4", false},
		{"f5", true},
		{"f6", nil},
		{"c11a514b67b0", cborTag{number: 1, value: uint64(1363896240)}},
		{"c1fb41d452d9ec200000", cborTag{number: 1, value: 1363896240.5}},
		{"4401020304", []byte{1, 2, 3, 4}},
		{"60", ""},
		{"6449455446", "IETF"},
		{"62c3bc", "ü"},
		{"83010203", []any{uint64(1), uint64(2), uint64(3)}},
		{"80", []any{}},
		{"a201020304", nil}, // integer keys: refused below
		{"a26161016162820203", map[string]any{"a": uint64(1), "b": []any{uint64(2), uint64(3)}}},
		{"5f42010243030405ff", []byte{1, 2, 3, 4, 5}},
		{"7f657374726561646d696e67ff", "streaming"},
		{"9fff", []any{}},
		{"9f018202039f0405ffff", []any{uint64(1), []any{uint64(2), uint64(3)}, []any{uint64(4), uint64(5)}}},
		{"bf61610161629f0203ffff", map[string]any{"a": uint64(1), "b": []any{uint64(2), uint64(3)}}},
	}
	for _, c := range cases {
		data, _ := hex.DecodeString(c.hex)
		got, err := cborDecode(data)
		if c.hex == "a201020304" {
			if err == nil {
				t.Errorf("%s: a map with integer keys was accepted", c.hex)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.hex, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.hex, got, c.want)
		}
	}
	if v, err := cborDecode([]byte{0xf9, 0x7c, 0x00}); err != nil || !math.IsInf(v.(float64), 1) {
		t.Errorf("half-precision infinity: %v %v", v, err)
	}
	for _, bad := range []string{"", "18", "5a00000010", "9b0000000100000000", "a1", "ff", "1c", "5f01ff", "0000"} {
		data, _ := hex.DecodeString(bad)
		if _, err := cborDecode(data); err == nil {
			t.Errorf("%q decoded without an error", bad)
		}
	}
}

func TestCBOR_encodeRoundTrip(t *testing.T) {
	v := map[string]any{
		"s": "text", "b": []byte{0, 1, 2}, "u": uint64(1 << 40), "n": int64(-5), "f": 2.5, "t": true, "z": nil,
		"l": []any{uint64(1), "x"}, "m": map[string]any{"k": cborTag{number: 1, value: int64(1700000000123)}},
	}
	enc := cborEncode(v)
	got, err := cborDecode(enc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"s": "text", "b": []byte{0, 1, 2}, "u": uint64(1 << 40), "n": int64(-5), "f": 2.5, "t": true, "z": nil,
		"l": []any{uint64(1), "x"}, "m": map[string]any{"k": cborTag{number: 1, value: uint64(1700000000123)}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip: %#v", got)
	}
}

func postCBOR(t *testing.T, url, op string, body map[string]any) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(cborEncode(body)))
	req.Header.Set("Content-Type", cborContentType)
	req.Header.Set("X-Amz-Target", TargetPrefix+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != cborContentType {
		t.Fatalf("%s answered Content-Type %q", op, ct)
	}
	v, err := cborDecode(raw)
	if err != nil {
		t.Fatalf("%s: answer is not CBOR: %v (%x)", op, err, raw)
	}
	return resp.StatusCode, v.(map[string]any)
}

// The AWS SDK for Java's dialect: blobs as byte strings, timestamps as tag 1 over epoch ms.
func TestKinesis_cborProtocol(t *testing.T) {
	h := newHarness(t, "")
	url := h.srv.URL + "/"
	status, body := postCBOR(t, url, "DescribeStreamSummary", map[string]any{"StreamName": "missing"})
	if status != 400 || body["__type"] != "ResourceNotFoundException" || body["message"] != "Stream missing under account 000000000000 not found." {
		t.Fatalf("error: %d %v", status, body)
	}
	if status, _ := postCBOR(t, url, "CreateStream", map[string]any{"StreamName": "c", "ShardCount": uint64(1)}); status != 200 {
		t.Fatalf("CreateStream: %d", status)
	}
	h.clock.Advance(time.Second)
	payload := []byte{0, 0xff, 'h', 'i'}
	status, body = postCBOR(t, url, "PutRecord", map[string]any{"StreamName": "c", "PartitionKey": "k", "Data": payload})
	if status != 200 || body["ShardId"] != shardID(0) || len(body["SequenceNumber"].(string)) != 56 {
		t.Fatalf("PutRecord: %d %v", status, body)
	}
	at := h.clock.Now().Add(-time.Millisecond)
	status, body = postCBOR(t, url, "GetShardIterator", map[string]any{"StreamName": "c", "ShardId": shardID(0),
		"ShardIteratorType": "AT_TIMESTAMP", "Timestamp": cborTag{number: 1, value: at.UnixMilli()}})
	if status != 200 {
		t.Fatalf("GetShardIterator: %d %v", status, body)
	}
	status, body = postCBOR(t, url, "GetRecords", map[string]any{"ShardIterator": body["ShardIterator"]})
	if status != 200 {
		t.Fatalf("GetRecords: %d %v", status, body)
	}
	recs := body["Records"].([]any)
	if len(recs) != 1 {
		t.Fatalf("records: %v", body)
	}
	rec := recs[0].(map[string]any)
	if !bytes.Equal(rec["Data"].([]byte), payload) {
		t.Fatalf("Data came back as %#v", rec["Data"])
	}
	if ts, ok := rec["ApproximateArrivalTimestamp"].(cborTag); !ok || ts.number != 1 || ts.value != uint64(h.clock.Now().UnixMilli()) {
		t.Fatalf("ApproximateArrivalTimestamp: %#v, want tag 1 over %d ms", rec["ApproximateArrivalTimestamp"], h.clock.Now().UnixMilli())
	}
	if _, ok := body["NextShardIterator"].(string); !ok {
		t.Fatalf("NextShardIterator: %#v", body["NextShardIterator"])
	}
}

// An independent CBOR implementation, AWS's own: botocore's CBORSerializer writes the requests
// (timestamps as tag 1 over whole seconds) and its BaseCBORParser reads the answers.
func TestKinesis_cborAgainstBotocore(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: botocore's CBOR codec is not available for the cross-check")
	}
	if out, err := exec.Command(python, "-c", "import botocore.serialize as s, botocore.parsers as p; s.CBORSerializer; p.BaseCBORParser").CombinedOutput(); err != nil {
		t.Skipf("this python3's botocore has no CBOR codec (needs botocore >= 1.36): %s", bytes.TrimSpace(out))
	}
	t.Parallel() // Python's start-up takes seconds; let the other tests run meanwhile
	h := newHarness(t, "", func(c *Config) { c.CreateDelay = -1 })
	script := filepath.Join(t.TempDir(), "cbor_client.py")
	if err := os.WriteFile(script, []byte(botocoreCBORClient), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script, h.srv.URL+"/", h.clock.Now().Add(-time.Second).Format(time.RFC3339))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("botocore client: %v\n%s", err, out)
	}
	var res struct {
		Put     map[string]any   `json:"put"`
		Records []map[string]any `json:"records"`
		Error   map[string]any   `json:"error"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("client output: %v\n%s", err, out)
	}
	if res.Put["ShardId"] != shardID(0) || len(res.Records) != 1 || res.Records[0]["Data"] != "aGVsbG8gY2Jvcg==" ||
		res.Records[0]["PartitionKey"] != "pk" || res.Records[0]["SequenceNumber"] != res.Put["SequenceNumber"] {
		t.Fatalf("botocore read: %s", out)
	}
	if got := res.Records[0]["ApproximateArrivalTimestamp"]; got != float64(h.clock.Now().UnixMilli()) {
		t.Fatalf("timestamp as botocore parsed it: %v, want %d", got, h.clock.Now().UnixMilli())
	}
	if res.Error["__type"] != "ResourceNotFoundException" || !strings.Contains(res.Error["message"].(string), "not found") {
		t.Fatalf("error as botocore parsed it: %v", res.Error)
	}
}

const botocoreCBORClient = `
import base64, datetime, json, sys, urllib.request, urllib.error
import botocore.session, botocore.serialize, botocore.parsers

url, since = sys.argv[1], sys.argv[2]
model = botocore.session.get_session().get_service_model('kinesis')
ser = botocore.serialize.CBORSerializer()
ser.TIMESTAMP_FORMAT = 'unixtimestamp'
parser = botocore.parsers.BaseCBORParser()
# x-amz-cbor-1.1 (the Java SDK's dialect) puts epoch milliseconds under tag 1, where botocore's
# own rpc-v2-cbor puts seconds: keep the number as it came.
parser._timestamp_parser = lambda v: v

def call(op, params):
    body = bytearray()
    ser._serialize_data_item(body, params, model.operation_model(op).input_shape)
    req = urllib.request.Request(url, data=bytes(body), method='POST', headers={
        'Content-Type': 'application/x-amz-cbor-1.1', 'X-Amz-Target': 'Kinesis_20131202.' + op})
    try:
        with urllib.request.urlopen(req) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        raw = e.read()
    return parser.parse_data_item(parser.get_peekable_stream_from_bytes(raw))

def plain(v):
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(v).decode()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v

call('CreateStream', {'StreamName': 'b', 'ShardCount': 1})
put = call('PutRecord', {'StreamName': 'b', 'PartitionKey': 'pk', 'Data': b'hello cbor'})
it = call('GetShardIterator', {'StreamName': 'b', 'ShardId': 'shardId-000000000000', 'ShardIteratorType': 'AT_TIMESTAMP',
                               'Timestamp': datetime.datetime.fromisoformat(since.replace('Z', '+00:00'))})
recs = call('GetRecords', {'ShardIterator': it['ShardIterator']})
err = call('DescribeStreamSummary', {'StreamName': 'nope'})
print(json.dumps({'put': plain(put), 'records': plain(recs['Records']), 'error': plain(err)}))
`
