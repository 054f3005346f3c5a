package kinesis

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// The CBOR form of Kinesis' protocol. botocore (so the AWS CLI v1 and v2) and aws-sdk-go-v2
// speak awsJson 1.1 to Kinesis, but the AWS SDK for Java (v1 and v2, and so the KCL and most
// Java producers) sends Content-Type application/x-amz-cbor-1.1 unless CBOR is disabled
// (AwsCborProtocolFactory). The shape is the JSON protocol's, encoded in CBOR (RFC 8949) with two
// differences: blobs are byte strings instead of base64 text, and timestamps are tag 1 over epoch
// *milliseconds* (SdkCborGenerator writes instant.toEpochMilli(); the factory's default payload
// timestamp format is UNIX_TIMESTAMP_MILLIS). So a CBOR request is translated to the JSON request
// the same operation takes, and its answer back, with the model's blob and timestamp members.
//
// The decoder takes the subset AWS clients send (every major type, definite and indefinite
// lengths, half/single/double floats, tags) and refuses anything larger than its input could
// hold, so a hostile body cannot make it allocate more than the body's size.

const cborContentType = "application/x-amz-cbor-1.1"

func isCBOR(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && strings.HasPrefix(mt, "application/x-amz-cbor-1.")
}

// cborTimeMembers are the timestamp members of the operations served here.
var cborTimeMembers = map[string]bool{"Timestamp": true, "StreamCreationTimestamp": true, "ApproximateArrivalTimestamp": true}

// cborBlobMembers are the blob members.
var cborBlobMembers = map[string]bool{"Data": true}

func (s *Service) serveCBOR(w http.ResponseWriter, r *http.Request) {
	opName, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
	op := s.api.Ops[opName]
	if !ok || op == nil {
		writeCBORError(w, errUnknownOperation(opName))
		return
	}
	body, err := awswire.ReadBody(r, maxRequestBody)
	if err != nil {
		writeCBORError(w, &awswire.Error{Status: http.StatusRequestEntityTooLarge, Code: "SerializationException", Message: err.Error()})
		return
	}
	jsonBody, err := cborRequestToJSON(body)
	if err != nil {
		writeCBORError(w, awswire.Errorf(http.StatusBadRequest, "SerializationException", "%v", err))
		return
	}
	out, e := op(r.Context(), jsonBody)
	if e != nil {
		writeCBORError(w, e)
		return
	}
	encoded, err := jsonResponseToCBOR(out)
	if err != nil {
		writeCBORError(w, errInternal(err))
		return
	}
	w.Header().Set("Content-Type", cborContentType)
	w.WriteHeader(http.StatusOK)
	w.Write(encoded)
}

func writeCBORError(w http.ResponseWriter, e *awswire.Error) {
	body := map[string]any{"__type": e.Code, "message": e.Message}
	w.Header().Set("Content-Type", cborContentType)
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	w.Write(cborEncode(body))
}

// cborRequestToJSON turns a CBOR request body into the JSON body of the same request.
func cborRequestToJSON(body []byte) ([]byte, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return []byte("{}"), nil
	}
	v, err := cborDecode(body)
	if err != nil {
		return nil, err
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errors.New("the request body is not a CBOR map")
	}
	return json.Marshal(cborToJSON(v, false))
}

// cborToJSON replaces byte strings with base64 text and tag-1 times with epoch seconds.
func cborToJSON(v any, isTime bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			out[k] = cborToJSON(item, cborTimeMembers[k])
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = cborToJSON(item, isTime)
		}
		return out
	case []byte:
		return base64.StdEncoding.EncodeToString(v)
	case cborTag:
		if v.number == 1 {
			return epochSeconds(v.value)
		}
		return cborToJSON(v.value, isTime)
	}
	if isTime {
		return epochSeconds(v)
	}
	return v
}

// epochSeconds reads a tag-1 time. AWS's CBOR dialect writes milliseconds; RFC 8949 says
// seconds. Values that are only plausible as milliseconds (after 1973 in ms, i.e. past the
// year 5000 in seconds) are taken as milliseconds.
func epochSeconds(v any) any {
	var f float64
	switch n := v.(type) {
	case uint64:
		f = float64(n)
	case int64:
		f = float64(n)
	case float64:
		f = n
	default:
		return v
	}
	if math.Abs(f) >= 1e11 {
		f /= 1000
	}
	return f
}

// jsonResponseToCBOR encodes an operation's answer, with Data as a byte string and times as
// tag 1 over epoch milliseconds.
func jsonResponseToCBOR(out any) ([]byte, error) {
	raw, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return cborEncode(jsonToCBOR(v, "")), nil
}

func jsonToCBOR(v any, member string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			out[k] = jsonToCBOR(item, k)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = jsonToCBOR(item, member)
		}
		return out
	case string:
		if cborBlobMembers[member] {
			if b, err := base64.StdEncoding.DecodeString(v); err == nil {
				return b
			}
		}
		return v
	case json.Number:
		if cborTimeMembers[member] {
			f, _ := v.Float64()
			return cborTag{number: 1, value: int64(math.Round(f * 1000))}
		}
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	}
	return v
}

// cborTag is a tagged data item.
type cborTag struct {
	number uint64
	value  any
}

const cborMaxDepth = 64

var errCBORTruncated = errors.New("cbor: unexpected end of input")

type cborDecoder struct {
	data []byte
	pos  int
}

// cborDecode decodes exactly one data item that must fill data.
func cborDecode(data []byte) (any, error) {
	d := &cborDecoder{data: data}
	v, err := d.item(0)
	if err != nil {
		return nil, err
	}
	if d.pos != len(data) {
		return nil, fmt.Errorf("cbor: %d bytes after the data item", len(data)-d.pos)
	}
	return v, nil
}

var errCBORBreak = errors.New("cbor: break")

func (d *cborDecoder) head() (major byte, info byte, arg uint64, err error) {
	if d.pos >= len(d.data) {
		return 0, 0, 0, errCBORTruncated
	}
	b := d.data[d.pos]
	d.pos++
	major, info = b>>5, b&0x1f
	switch {
	case info < 24:
		return major, info, uint64(info), nil
	case info <= 27:
		n := 1 << (info - 24)
		if len(d.data)-d.pos < n {
			return 0, 0, 0, errCBORTruncated
		}
		buf := d.data[d.pos : d.pos+n]
		d.pos += n
		switch n {
		case 1:
			arg = uint64(buf[0])
		case 2:
			arg = uint64(binary.BigEndian.Uint16(buf))
		case 4:
			arg = uint64(binary.BigEndian.Uint32(buf))
		default:
			arg = binary.BigEndian.Uint64(buf)
		}
		return major, info, arg, nil
	case info == 31:
		return major, info, 0, nil
	}
	return 0, 0, 0, fmt.Errorf("cbor: reserved additional information %d", info)
}

// fits refuses lengths longer than what is left of the input (each element takes a byte at least).
func (d *cborDecoder) fits(n uint64) error {
	if n > uint64(len(d.data)-d.pos) {
		return errCBORTruncated
	}
	return nil
}

func (d *cborDecoder) item(depth int) (any, error) {
	if depth > cborMaxDepth {
		return nil, errors.New("cbor: nested too deeply")
	}
	major, info, arg, err := d.head()
	if err != nil {
		return nil, err
	}
	indefinite := info == 31
	switch major {
	case 0:
		if indefinite {
			return nil, errors.New("cbor: indefinite integer")
		}
		return arg, nil
	case 1:
		if indefinite {
			return nil, errors.New("cbor: indefinite integer")
		}
		if arg > math.MaxInt64 {
			return -float64(arg) - 1, nil
		}
		return -int64(arg) - 1, nil
	case 2, 3:
		var b []byte
		if indefinite {
			b, err = d.chunks(major)
		} else {
			if err := d.fits(arg); err != nil {
				return nil, err
			}
			b = append([]byte(nil), d.data[d.pos:d.pos+int(arg)]...)
			d.pos += int(arg)
		}
		if err != nil {
			return nil, err
		}
		if major == 3 {
			return string(b), nil
		}
		return b, nil
	case 4:
		var out []any
		for i := uint64(0); indefinite || i < arg; i++ {
			if !indefinite {
				if err := d.fits(arg - i); err != nil {
					return nil, err
				}
			}
			v, err := d.item(depth + 1)
			if errors.Is(err, errCBORBreak) && indefinite {
				break
			}
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	case 5:
		out := map[string]any{}
		for i := uint64(0); indefinite || i < arg; i++ {
			if !indefinite {
				if err := d.fits(2 * (arg - i)); err != nil {
					return nil, err
				}
			}
			k, err := d.item(depth + 1)
			if errors.Is(err, errCBORBreak) && indefinite {
				break
			}
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				return nil, errors.New("cbor: map key is not a text string")
			}
			v, err := d.item(depth + 1)
			if err != nil {
				return nil, err
			}
			out[key] = v
		}
		return out, nil
	case 6:
		if indefinite {
			return nil, errors.New("cbor: indefinite tag")
		}
		v, err := d.item(depth + 1)
		if err != nil {
			return nil, err
		}
		return cborTag{number: arg, value: v}, nil
	}
	// major 7: simple values and floats
	switch info {
	case 20:
		return false, nil
	case 21:
		return true, nil
	case 22, 23:
		return nil, nil
	case 25:
		return halfToFloat(uint16(arg)), nil
	case 26:
		return float64(math.Float32frombits(uint32(arg))), nil
	case 27:
		return math.Float64frombits(arg), nil
	case 31:
		return nil, errCBORBreak
	}
	return nil, fmt.Errorf("cbor: unsupported simple value %d", arg)
}

// chunks reads an indefinite-length byte or text string: definite chunks of the same type up to a break.
func (d *cborDecoder) chunks(major byte) ([]byte, error) {
	var out []byte
	for {
		m, info, arg, err := d.head()
		if err != nil {
			return nil, err
		}
		if m == 7 && info == 31 {
			return out, nil
		}
		if m != major || info == 31 {
			return nil, errors.New("cbor: bad chunk in an indefinite-length string")
		}
		if err := d.fits(arg); err != nil {
			return nil, err
		}
		out = append(out, d.data[d.pos:d.pos+int(arg)]...)
		d.pos += int(arg)
	}
}

func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 31:
		if frac == 0 {
			return sign * math.Inf(1)
		}
		return math.NaN()
	}
	return sign * math.Ldexp(frac+1024, exp-25)
}

// cborEncode encodes the values cborDecode and jsonToCBOR produce, maps with sorted keys.
func cborEncode(v any) []byte {
	var b bytes.Buffer
	cborWrite(&b, v)
	return b.Bytes()
}

func cborHead(b *bytes.Buffer, major byte, n uint64) {
	switch {
	case n < 24:
		b.WriteByte(major<<5 | byte(n))
	case n <= math.MaxUint8:
		b.WriteByte(major<<5 | 24)
		b.WriteByte(byte(n))
	case n <= math.MaxUint16:
		b.WriteByte(major<<5 | 25)
		b.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	case n <= math.MaxUint32:
		b.WriteByte(major<<5 | 26)
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	default:
		b.WriteByte(major<<5 | 27)
		b.Write(binary.BigEndian.AppendUint64(nil, n))
	}
}

func cborWrite(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteByte(0xf6)
	case bool:
		if v {
			b.WriteByte(0xf5)
		} else {
			b.WriteByte(0xf4)
		}
	case uint64:
		cborHead(b, 0, v)
	case int64:
		if v >= 0 {
			cborHead(b, 0, uint64(v))
		} else {
			cborHead(b, 1, uint64(-(v + 1)))
		}
	case int:
		cborWrite(b, int64(v))
	case float64:
		b.WriteByte(0xfb)
		b.Write(binary.BigEndian.AppendUint64(nil, math.Float64bits(v)))
	case string:
		cborHead(b, 3, uint64(len(v)))
		b.WriteString(v)
	case []byte:
		cborHead(b, 2, uint64(len(v)))
		b.Write(v)
	case []any:
		cborHead(b, 4, uint64(len(v)))
		for _, item := range v {
			cborWrite(b, item)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		cborHead(b, 5, uint64(len(v)))
		for _, k := range keys {
			cborWrite(b, k)
			cborWrite(b, v[k])
		}
	case cborTag:
		cborHead(b, 6, v.number)
		cborWrite(b, v.value)
	case json.Number:
		if i, err := v.Int64(); err == nil {
			cborWrite(b, i)
		} else {
			f, _ := v.Float64()
			cborWrite(b, f)
		}
	default:
		// Not produced by this package; encode its string form rather than fail.
		cborWrite(b, fmt.Sprint(v))
	}
}
