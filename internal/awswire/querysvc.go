package awswire

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// QueryOp is one operation of an awsQuery service: it reads the form and returns its result
// element (a struct with XMLName "<Action>Result", or nil) or an AWS error.
type QueryOp func(ctx context.Context, form url.Values) (any, *Error)

// QueryService is the one dispatcher of every awsQuery service (SNS, IAM, ELBv2, SQS's old
// protocol, ...): the form's Action picks the operation.
type QueryService struct {
	// Version is the API version requests carry, e.g. "2010-03-31" for SNS.
	Version string
	// XMLNS is the namespace of responses, e.g. "http://sns.amazonaws.com/doc/2010-03-31/".
	XMLNS string
	// MaxBody bounds a request body; 0 means 16 MiB.
	MaxBody int64
	Ops     map[string]QueryOp
}

func (s *QueryService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := RequestID(r.Context())
	form, e := ReadQueryForm(r, s.MaxBody)
	if e != nil {
		WriteQueryError(w, reqID, e)
		return
	}
	action := form.Get("Action")
	op := s.Ops[action]
	if op == nil {
		WriteQueryError(w, reqID, &Error{Status: http.StatusBadRequest, Code: "InvalidAction",
			Message: fmt.Sprintf("The action %s is not valid for this web service.", action)})
		return
	}
	result, e := op(r.Context(), form)
	if e != nil {
		WriteQueryError(w, reqID, e)
		return
	}
	WriteQueryResult(w, reqID, action, s.XMLNS, result)
}

// ReadQueryForm parses an awsQuery request: the form body of a POST merged with the query string.
func ReadQueryForm(r *http.Request, limit int64) (url.Values, *Error) {
	if limit == 0 {
		limit = 16 << 20
	}
	form := url.Values{}
	for k, vs := range r.URL.Query() {
		form[k] = vs
	}
	if r.Method == http.MethodPost {
		body, err := ReadBody(r, limit)
		if err != nil {
			return nil, &Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge", Message: err.Error()}
		}
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, &Error{Status: http.StatusBadRequest, Code: "MalformedQueryString", Message: err.Error()}
		}
		for k, vs := range values {
			form[k] = append(form[k], vs...)
		}
	}
	return form, nil
}

// QueryList reads a list member: prefix.1, prefix.2, ... (e.g. "AttributeName.member" or
// "MessageAttributeNames.member"), in index order, stopping at the first gap as AWS does.
func QueryList(form url.Values, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := form[prefix+"."+strconv.Itoa(i)]
		if !ok || len(v) == 0 {
			return out
		}
		out = append(out, v[0])
	}
}

// QueryStructList reads a list of structures: prefix.1.Field, prefix.2.Field, ... and returns one
// map of fields per element, in index order.
func QueryStructList(form url.Values, prefix string) []map[string]string {
	byIndex := map[int]map[string]string{}
	p := prefix + "."
	for k, vs := range form {
		rest, ok := strings.CutPrefix(k, p)
		if !ok || len(vs) == 0 {
			continue
		}
		idx, field, ok := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if !ok || err != nil || n < 1 {
			continue
		}
		if byIndex[n] == nil {
			byIndex[n] = map[string]string{}
		}
		byIndex[n][field] = vs[0]
	}
	idxs := make([]int, 0, len(byIndex))
	for n := range byIndex {
		idxs = append(idxs, n)
	}
	sort.Ints(idxs)
	out := make([]map[string]string, 0, len(idxs))
	for _, n := range idxs {
		out = append(out, byIndex[n])
	}
	return out
}

// QueryMap reads a map member: prefix.N.<keyName> and prefix.N.<valueName>, e.g.
// QueryMap(form, "Attributes.entry", "key", "value") for SNS attributes.
func QueryMap(form url.Values, prefix, keyName, valueName string) map[string]string {
	out := map[string]string{}
	for _, e := range QueryStructList(form, prefix) {
		if k, ok := e[keyName]; ok {
			out[k] = e[valueName]
		}
	}
	return out
}
