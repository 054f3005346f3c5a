package sns

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/url"
	"sort"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// adapt turns a typed operation and its decoder into the dispatcher's QueryOp. Operations
// without results (DeleteTopic, TagResource, ...) return a nil *Out and answer an empty
// <ActionResult/> element: the SDK's deserializer requires it for operations whose output shape
// exists (TagResource, UntagResource) and the sns module's snapshots show it for all of them.
func adapt[In, Out any](action string, decode func(url.Values) (In, *awswire.Error), op func(context.Context, In) (*Out, *awswire.Error)) awswire.QueryOp {
	return func(ctx context.Context, form url.Values) (any, *awswire.Error) {
		in, e := decode(form)
		if e != nil {
			return nil, e
		}
		out, e := op(ctx, in)
		if e != nil {
			return nil, e
		}
		if out == nil {
			return emptyResult{XMLName: xml.Name{Local: action + "Result"}}, nil
		}
		return out, nil
	}
}

// noResult is the Out of operations whose result element is empty.
type noResult struct{}

type emptyResult struct {
	XMLName xml.Name
}

// attributeMap is SNS's XML map shape: <entry><key/><value/></entry>..., keys sorted.
type attributeMap struct {
	Entries []attributeEntry `xml:"entry"`
}

type attributeEntry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func toAttributeMap(m map[string]string) attributeMap {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := attributeMap{Entries: make([]attributeEntry, 0, len(keys))}
	for _, k := range keys {
		out.Entries = append(out.Entries, attributeEntry{Key: k, Value: m[k]})
	}
	return out
}

// pageSize is how many items one List* page holds: 100 for topics and subscriptions (API
// reference of ListTopics and ListSubscriptions).
const pageSize = 100

// page walks bucket (keys with prefix) after the position NextToken encodes and returns up to
// pageSize values and the next token ("" on the last page).
func page(tx *store.Tx, bucket, prefix, nextToken string, fn func(key string, value []byte) error) (string, *awswire.Error) {
	after := ""
	if nextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(nextToken)
		if err != nil || len(raw) == 0 {
			return "", errInvalidParameter("NextToken")
		}
		after = string(raw)
	}
	n := 0
	last, more := "", false
	walk := func(k string, v []byte) error {
		if len(k) < len(prefix) || k[:len(prefix)] != prefix {
			if k > prefix {
				return store.ErrStop
			}
			return nil
		}
		if n == pageSize {
			more = true
			return store.ErrStop
		}
		n++
		last = k
		return fn(k, v)
	}
	var err error
	if after == "" {
		err = tx.ForEach(bucket, prefix, walk)
	} else {
		err = tx.ForEachAfter(bucket, after, walk)
	}
	if err != nil {
		return "", errInternal(err)
	}
	if !more {
		return "", nil
	}
	return base64.RawURLEncoding.EncodeToString([]byte(last)), nil
}

// internal wraps a store failure; a *awswire.Error returned from a transaction passes through.
func internal(err error) *awswire.Error {
	var e *awswire.Error
	if errors.As(err, &e) {
		return e
	}
	return errInternal(err)
}
