package iam

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Buckets of the store, all under "iam/". Role names are unique regardless of case in IAM
// ("you cannot create roles named both PRODROLE and prodrole"), so roles are keyed by their
// lower-cased name and keep the name as created.
const (
	rolesBucket        = "iam/roles"         // lower(role name) -> roleRecord
	rolePoliciesBucket = "iam/role-policies" // lower(role name) + "/" + policy name -> inlinePolicy
	attachedBucket     = "iam/attached"      // lower(role name) + "/" + policy ARN -> attachment
	policiesBucket     = "iam/policies"      // policy ARN -> managedPolicy (customer managed only)
)

type roleRecord struct {
	Name               string
	ID                 string
	Path               string
	ARN                string
	Description        string
	AssumeRolePolicy   string // the document as given, decoded
	MaxSessionDuration int
	Created            time.Time
	Tags               []Tag
}

type inlinePolicy struct {
	RoleName string
	Name     string
	Document string
}

type managedPolicy struct {
	Name        string
	ID          string
	Path        string
	ARN         string
	Description string
	Document    string
	Created     time.Time
	Updated     time.Time
	Tags        []Tag
}

type attachment struct {
	RoleName   string
	PolicyARN  string
	PolicyName string
}

func roleKey(name string) string           { return strings.ToLower(name) }
func childKey(role, name string) string    { return strings.ToLower(role) + "/" + name }
func childPrefix(role string) string       { return strings.ToLower(role) + "/" }
func (r *roleRecord) toXML(tags bool) Role { return roleXML(r, tags) }

// Tag is one tag of a role or policy.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// tagList is the awsQuery list shape <Tags><member>...</member></Tags>.
type tagList struct {
	Members []Tag `xml:"member"`
}

func tagsXML(tags []Tag) *tagList {
	if len(tags) == 0 {
		return nil
	}
	return &tagList{Members: tags}
}

// Role is IAM's Role shape (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html).
type Role struct {
	Arn                      string   `xml:"Arn"`
	AssumeRolePolicyDocument string   `xml:"AssumeRolePolicyDocument,omitempty"`
	CreateDate               string   `xml:"CreateDate"`
	Description              string   `xml:"Description,omitempty"`
	MaxSessionDuration       int      `xml:"MaxSessionDuration"`
	Path                     string   `xml:"Path"`
	RoleID                   string   `xml:"RoleId"`
	RoleName                 string   `xml:"RoleName"`
	Tags                     *tagList `xml:"Tags,omitempty"`
}

func roleXML(r *roleRecord, tags bool) Role {
	out := Role{
		Arn:                      r.ARN,
		AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicy),
		CreateDate:               timestamp(r.Created),
		Description:              r.Description,
		MaxSessionDuration:       r.MaxSessionDuration,
		Path:                     r.Path,
		RoleID:                   r.ID,
		RoleName:                 r.Name,
	}
	if tags {
		out.Tags = tagsXML(r.Tags)
	}
	return out
}

// Policy is IAM's Policy shape (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html).
type Policy struct {
	Arn                           string   `xml:"Arn"`
	AttachmentCount               int      `xml:"AttachmentCount"`
	CreateDate                    string   `xml:"CreateDate"`
	DefaultVersionID              string   `xml:"DefaultVersionId"`
	Description                   string   `xml:"Description,omitempty"`
	IsAttachable                  bool     `xml:"IsAttachable"`
	Path                          string   `xml:"Path"`
	PermissionsBoundaryUsageCount int      `xml:"PermissionsBoundaryUsageCount"`
	PolicyID                      string   `xml:"PolicyId"`
	PolicyName                    string   `xml:"PolicyName"`
	Tags                          *tagList `xml:"Tags,omitempty"`
	UpdateDate                    string   `xml:"UpdateDate"`
}

// defaultVersion is the one version a policy has: the simulator does not serve
// CreatePolicyVersion, so every policy stays at v1 (AWS managed ones at their documented one).
const defaultVersion = "v1"

// timestamp is IAM's ISO 8601 form, whole seconds in UTC.
func timestamp(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

// encodeDocument URL-encodes a policy document as IAM returns them ("The policy document
// returned in this structure is URL-encoded compliant with RFC 3986", GetRolePolicy's API
// reference): every byte but the unreserved A-Z a-z 0-9 - . _ ~ as %XX. Clients decode it
// (the AWS CLI shows it as JSON).
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// newID returns an IAM unique ID: a four-letter prefix naming the kind (AROA for roles, ANPA
// for managed policies) and 17 characters of upper-case letters and digits, 21 in all
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes).
func newID(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	var raw [17]byte
	if _, err := rand.Read(raw[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	out := []byte(prefix)
	for _, c := range raw {
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}

// adapt turns a typed operation and its decoder into the dispatcher's QueryOp. Operations
// without results return a nil *Out and answer an empty <ActionResult/>, as the iam module's
// snapshots show (e.g. DeleteRole.response.snap).
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

type emptyResult struct {
	XMLName xml.Name
}

// noResult is the Out of operations whose result element is empty.
type noResult struct{}

// internal wraps a store failure; a *awswire.Error returned from a transaction passes through.
func internal(err error) *awswire.Error {
	var e *awswire.Error
	if errors.As(err, &e) {
		return e
	}
	return errServiceFailure(err)
}

// pageOf cuts one page out of keys (sorted): the items after the Marker, at most maxItems
// (IAM's default 100). It returns the indexes of the page and the next Marker ("" when the
// page is the last; IsTruncated is then false).
func pageOf(keys []string, marker string, maxItems int) (from, to int, next string, e *awswire.Error) {
	sort.Strings(keys)
	if marker != "" {
		raw, err := base64.RawURLEncoding.DecodeString(marker)
		if err != nil {
			return 0, 0, "", errInvalidInput("Invalid Marker.")
		}
		from = sort.SearchStrings(keys, string(raw))
		if from < len(keys) && keys[from] == string(raw) {
			from++
		}
	}
	to = min(from+maxItems, len(keys))
	if to < len(keys) {
		next = base64.RawURLEncoding.EncodeToString([]byte(keys[to-1]))
	}
	return from, to, next, nil
}

// parseMaxItems reads MaxItems: 1 to 1000, default 100 (every List* API reference of IAM).
func parseMaxItems(form url.Values) (int, *awswire.Error) {
	v := form.Get("MaxItems")
	if v == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return 0, errValidation("maxItems", v, "Member must have value between 1 and 1000")
	}
	return n, nil
}

// decodeRecord reads a stored JSON record.
func decodeRecord[T any](v []byte) (*T, error) {
	var r T
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// members is the awsQuery list shape <List><member>...</member></List>; the wrapper element is
// written even for an empty list, as AWS does.
type members[T any] struct {
	Members []T `xml:"member"`
}
