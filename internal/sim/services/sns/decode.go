package sns

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// The awsQuery shapes SNS requests use (see the sns module's request_snapshot/*.snap):
//
//	Attributes.entry.N.key / .value                      topic and subscription attribute maps
//	Tags.member.N.Key / .Value                           tag lists
//	TagKeys.member.N                                     string lists
//	MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue / .Value.BinaryValue (base64)
//	PublishBatchRequestEntries.member.N.<member>         lists of structures

// Tag is one topic tag.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func queryAttributes(form url.Values, prefix string) map[string]string {
	return awswire.QueryMap(form, prefix+".entry", "key", "value")
}

func queryTags(form url.Values, prefix string) []Tag {
	var out []Tag
	for _, e := range awswire.QueryStructList(form, prefix+".member") {
		out = append(out, Tag{Key: e["Key"], Value: e["Value"]})
	}
	return out
}

// queryMessageAttributes reads a MessageAttributes map. It checks the encoding only; the values
// are validated by validateMessageAttributes.
func queryMessageAttributes(form url.Values, prefix string) (map[string]attribute, *awswire.Error) {
	entries := awswire.QueryStructList(form, prefix+".entry")
	if len(entries) == 0 {
		return nil, nil
	}
	out := make(map[string]attribute, len(entries))
	for _, e := range entries {
		name := e["Name"]
		a := attribute{DataType: e["Value.DataType"], StringValue: e["Value.StringValue"]}
		if b64, ok := e["Value.BinaryValue"]; ok {
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				return nil, errInvalidParameterValue("The message attribute '%s' has an invalid BinaryValue: it is not base64.", name)
			}
			a.BinaryValue = raw
		}
		out[name] = a
	}
	return out, nil
}

// indexedForm is one element of a list of structures, with its members under their own names.
type indexedForm struct {
	Index int
	Form  url.Values
}

// subForms splits prefix.N.<rest> into one form per N, in index order, each holding <rest> keys.
// Unlike awswire.QueryStructList it keeps nested members (an entry's own MessageAttributes).
func subForms(form url.Values, prefix string) []indexedForm {
	byIndex := map[int]url.Values{}
	p := prefix + "."
	for k, vs := range form {
		rest, ok := strings.CutPrefix(k, p)
		if !ok {
			continue
		}
		idx, member, ok := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if !ok || err != nil || n < 1 {
			continue
		}
		if byIndex[n] == nil {
			byIndex[n] = url.Values{}
		}
		byIndex[n][member] = vs
	}
	out := make([]indexedForm, 0, len(byIndex))
	for n, f := range byIndex {
		out = append(out, indexedForm{Index: n, Form: f})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// optional returns a form value and whether it was sent.
func optional(form url.Values, key string) (string, bool) {
	vs, ok := form[key]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// parseBoolMember reads an awsQuery boolean ("true"/"false"), AWS being lenient about case.
func parseBoolMember(member, v string) (bool, *awswire.Error) {
	switch strings.ToLower(v) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, errInvalidParameter("%s", member)
}
