package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// ListFunctionsInput selects and pages functions.
type ListFunctionsInput struct {
	FunctionVersion string // "ALL" lists every version too
	MasterRegion    string
	Marker          string
	MaxItems        *int32
}

func bindListFunctions(r *http.Request, in *ListFunctionsInput) {
	q := r.URL.Query()
	in.FunctionVersion, in.MasterRegion, in.Marker = q.Get("FunctionVersion"), q.Get("MasterRegion"), q.Get("Marker")
	in.MaxItems = queryInt(q, "MaxItems")
}

// ListFunctionsOutput is a page of functions.
type ListFunctionsOutput struct {
	Functions  []FunctionConfiguration `json:"Functions"`
	NextMarker string                  `json:"NextMarker,omitempty"`
}

// ListFunctions lists functions by name, 50 to a page unless MaxItems says otherwise. As on AWS,
// the listed configurations leave out State and LastUpdateStatus (GetFunction has them).
// https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
func (s *Service) ListFunctions(_ context.Context, in *ListFunctionsInput) (*ListFunctionsOutput, *awswire.Error) {
	var v validation
	v.minInt("maxItems", in.MaxItems, 1)
	v.maxInt("maxItems", in.MaxItems, 10000)
	if in.FunctionVersion != "" && in.FunctionVersion != "ALL" {
		v.enum("functionVersion", in.FunctionVersion, "ALL")
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	limit := 50
	if in.MaxItems != nil {
		limit = int(*in.MaxItems)
	}
	after, e := decodeMarker(in.Marker)
	if e != nil {
		return nil, e
	}
	out := &ListFunctionsOutput{Functions: []FunctionConfiguration{}}
	e = s.view(func(tx *store.Tx) error {
		return tx.ForEach(bucketFunctions, "", func(key string, value []byte) error {
			var rec functionRecord
			if err := json.Unmarshal(value, &rec); err != nil {
				return err
			}
			items := []FunctionConfiguration{rec.Config}
			if in.FunctionVersion == "ALL" {
				versions, err := listVersions(tx, key)
				if err != nil {
					return err
				}
				for _, ver := range versions {
					items = append(items, ver.Config)
				}
			}
			for _, c := range items {
				pos := key + ":" + c.Version
				if after != "" && markerOrder(pos) <= markerOrder(after) {
					continue
				}
				if len(out.Functions) == limit {
					out.NextMarker = encodeMarker(out.Functions[len(out.Functions)-1])
					return store.ErrStop
				}
				out.Functions = append(out.Functions, listed(c))
			}
			return nil
		})
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// listed is a configuration as the List operations show it.
func listed(c FunctionConfiguration) FunctionConfiguration {
	c.State, c.StateReason, c.StateReasonCode = "", "", ""
	c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = "", "", ""
	return c
}

// Markers are opaque to clients: the base64 of "<name>:<version>" of the last item of a page.
func encodeMarker(c FunctionConfiguration) string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.FunctionName + ":" + c.Version))
}

func decodeMarker(m string) (string, *awswire.Error) {
	if m == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return "", invalidParameter("Invalid marker: %s", m)
	}
	return string(b), nil
}

// markerOrder makes "<name>:<version>" sort as the listing does: by name, then $LATEST, then
// versions in numeric order.
func markerOrder(pos string) string {
	i := len(pos) - 1
	for i >= 0 && pos[i] != ':' {
		i--
	}
	name, ver := pos[:i], pos[i+1:]
	if ver == latest {
		return name + "\x00" + "0"
	}
	n, _ := strconv.Atoi(ver)
	return name + "\x00" + "1" + store.SeqKey(uint64(n))
}

func queryInt(q url.Values, key string) *int32 {
	s := q.Get(key)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		v := int32(-1)
		return &v
	}
	v := int32(n)
	return &v
}
