package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// An alias names a version of a function ($LATEST or a published number). Qualifiers that name an
// alias work wherever a version works (resolve maps them to the alias's version), except for
// resource-based policies, which AWS keys by the alias itself. Weighted routing (RoutingConfig)
// is not supported and is refused.

const (
	aliasNamePattern       = `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`
	aliasVersionPattern    = `(\$LATEST|[0-9]+)`
	aliasDescriptionMaxLen = 256
)

var (
	aliasNameRE    = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
	aliasVersionRE = regexp.MustCompile(`^(\$LATEST|[0-9]+)$`)
)

// AliasRoutingConfiguration is an alias's weighted routing to a second version.
type AliasRoutingConfiguration struct {
	AdditionalVersionWeights map[string]float64 `json:"AdditionalVersionWeights,omitempty"`
}

// AliasConfiguration is an alias as the alias operations answer it.
type AliasConfiguration struct {
	AliasARN        string                     `json:"AliasArn"`
	Name            string                     `json:"Name"`
	FunctionVersion string                     `json:"FunctionVersion"`
	Description     string                     `json:"Description"`
	RevisionID      string                     `json:"RevisionId"`
	RoutingConfig   *AliasRoutingConfiguration `json:"RoutingConfig,omitempty"`
}

func aliasesBucket(name string) string { return aliasesPrefix + name }

// getAlias loads an alias, or nil when there is none.
func getAlias(tx *store.Tx, function, alias string) (*AliasConfiguration, error) {
	var rec AliasConfiguration
	if err := tx.Get(aliasesBucket(function), alias, &rec); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &rec, nil
}

func putAlias(tx *store.Tx, function string, a *AliasConfiguration) error {
	return tx.Put(aliasesBucket(function), a.Name, a)
}

// listAliases returns a function's aliases, by name.
func listAliases(tx *store.Tx, function string) ([]AliasConfiguration, error) {
	var out []AliasConfiguration
	err := tx.ForEach(aliasesBucket(function), "", func(_ string, v []byte) error {
		var a AliasConfiguration
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

func aliasNotFound(arn string) *awswire.Error { return notFound("Alias not found: %s", arn) }

func validateAliasName(v *validation, name string) {
	if !aliasNameRE.MatchString(name) || isVersionNumber(name) {
		v.pattern("name", name, aliasNamePattern)
	}
}

func validateAliasVersion(v *validation, version string) {
	if !aliasVersionRE.MatchString(version) {
		v.pattern("functionVersion", version, aliasVersionPattern)
	}
}

func checkRouting(rc *AliasRoutingConfiguration) *awswire.Error {
	if rc != nil && len(rc.AdditionalVersionWeights) > 0 {
		return invalidParameter("The lambdatrigger simulator does not support weighted aliases (RoutingConfig.AdditionalVersionWeights).")
	}
	return nil
}

// aliasFunction reads the FunctionName of an alias operation: a qualifier in it is ignored.
func (s *Service) aliasFunction(tx *store.Tx, ref functionRef) (*functionRecord, error) {
	rec, err := getFunction(tx, ref.Name)
	if err != nil {
		return nil, err
	}
	if rec == nil || !s.ours(ref) {
		ref.Qualifier = ""
		return nil, abort(functionNotFound(s.refARN(ref)))
	}
	return rec, nil
}

// checkAliasTarget verifies that version exists.
func (s *Service) checkAliasTarget(tx *store.Tx, function, version string) error {
	if version == latest {
		return nil
	}
	ver, err := getVersion(tx, function, versionNumber(version))
	if err != nil {
		return err
	}
	if ver == nil {
		return abort(functionNotFound(s.qualifiedARN(function, version)))
	}
	return nil
}

func parseAliasFunction(name string) (functionRef, *awswire.Error) {
	ref, e := parseFunctionName(name, true)
	if e != nil {
		return ref, e
	}
	ref.Qualifier = ""
	return ref, nil
}

// CreateAliasInput is the body of CreateAlias.
type CreateAliasInput struct {
	FunctionName    string                     `json:"-"`
	Name            string                     `json:"Name"`
	FunctionVersion string                     `json:"FunctionVersion"`
	Description     string                     `json:"Description,omitempty"`
	RoutingConfig   *AliasRoutingConfiguration `json:"RoutingConfig,omitempty"`
}

func (in *CreateAliasInput) setFunctionName(s string) { in.FunctionName = s }

// CreateAlias: https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html
func (s *Service) CreateAlias(_ context.Context, in *CreateAliasInput) (*AliasConfiguration, *awswire.Error) {
	ref, e := parseAliasFunction(in.FunctionName)
	if e != nil {
		return nil, e
	}
	var v validation
	validateAliasName(&v, in.Name)
	validateAliasVersion(&v, in.FunctionVersion)
	v.maxLen("description", &in.Description, aliasDescriptionMaxLen)
	if e := v.err(); e != nil {
		return nil, e
	}
	if e := checkRouting(in.RoutingConfig); e != nil {
		return nil, e
	}
	var out *AliasConfiguration
	e = s.update(func(tx *store.Tx) error {
		if _, err := s.aliasFunction(tx, ref); err != nil {
			return err
		}
		arn := s.qualifiedARN(ref.Name, in.Name)
		existing, err := getAlias(tx, ref.Name, in.Name)
		if err != nil {
			return err
		}
		if existing != nil {
			return abort(conflict("Alias already exists: %s", arn))
		}
		if err := s.checkAliasTarget(tx, ref.Name, in.FunctionVersion); err != nil {
			return err
		}
		out = &AliasConfiguration{AliasARN: arn, Name: in.Name, FunctionVersion: in.FunctionVersion,
			Description: in.Description, RevisionID: awswire.NewUUID()}
		return putAlias(tx, ref.Name, out)
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// GetAliasInput names an alias.
type GetAliasInput struct {
	FunctionName string
	Name         string
}

func bindAlias(r *http.Request, in *GetAliasInput) {
	in.FunctionName, in.Name = r.PathValue("FunctionName"), r.PathValue("Name")
}

// GetAlias: https://docs.aws.amazon.com/lambda/latest/api/API_GetAlias.html
func (s *Service) GetAlias(_ context.Context, in *GetAliasInput) (*AliasConfiguration, *awswire.Error) {
	ref, e := parseAliasFunction(in.FunctionName)
	if e != nil {
		return nil, e
	}
	var v validation
	validateAliasName(&v, in.Name)
	if e := v.err(); e != nil {
		return nil, e
	}
	var out *AliasConfiguration
	e = s.view(func(tx *store.Tx) error {
		if _, err := s.aliasFunction(tx, ref); err != nil {
			return err
		}
		var err error
		if out, err = getAlias(tx, ref.Name, in.Name); err != nil {
			return err
		}
		if out == nil {
			return abort(aliasNotFound(s.qualifiedARN(ref.Name, in.Name)))
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// UpdateAliasInput is the body of UpdateAlias.
type UpdateAliasInput struct {
	FunctionName    string                     `json:"-"`
	Name            string                     `json:"-"`
	FunctionVersion *string                    `json:"FunctionVersion,omitempty"`
	Description     *string                    `json:"Description,omitempty"`
	RevisionID      string                     `json:"RevisionId,omitempty"`
	RoutingConfig   *AliasRoutingConfiguration `json:"RoutingConfig,omitempty"`
}

func bindUpdateAlias(r *http.Request, in *UpdateAliasInput) {
	in.FunctionName, in.Name = r.PathValue("FunctionName"), r.PathValue("Name")
}

// UpdateAlias: https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html
func (s *Service) UpdateAlias(_ context.Context, in *UpdateAliasInput) (*AliasConfiguration, *awswire.Error) {
	ref, e := parseAliasFunction(in.FunctionName)
	if e != nil {
		return nil, e
	}
	var v validation
	validateAliasName(&v, in.Name)
	if in.FunctionVersion != nil {
		validateAliasVersion(&v, *in.FunctionVersion)
	}
	v.maxLen("description", in.Description, aliasDescriptionMaxLen)
	if e := v.err(); e != nil {
		return nil, e
	}
	if e := checkRouting(in.RoutingConfig); e != nil {
		return nil, e
	}
	var out *AliasConfiguration
	e = s.update(func(tx *store.Tx) error {
		if _, err := s.aliasFunction(tx, ref); err != nil {
			return err
		}
		var err error
		if out, err = getAlias(tx, ref.Name, in.Name); err != nil {
			return err
		}
		if out == nil {
			return abort(aliasNotFound(s.qualifiedARN(ref.Name, in.Name)))
		}
		if in.RevisionID != "" && in.RevisionID != out.RevisionID {
			return abort(preconditionFailed())
		}
		if in.FunctionVersion != nil {
			if err := s.checkAliasTarget(tx, ref.Name, *in.FunctionVersion); err != nil {
				return err
			}
			out.FunctionVersion = *in.FunctionVersion
		}
		if in.Description != nil {
			out.Description = *in.Description
		}
		out.RevisionID = awswire.NewUUID()
		return putAlias(tx, ref.Name, out)
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DeleteAliasInput names an alias.
type DeleteAliasInput = GetAliasInput

// DeleteAlias deletes an alias and its resource-based policy. Deleting an alias that does not
// exist succeeds, as on AWS.
// https://docs.aws.amazon.com/lambda/latest/api/API_DeleteAlias.html
func (s *Service) DeleteAlias(_ context.Context, in *DeleteAliasInput) (*struct{}, *awswire.Error) {
	ref, e := parseAliasFunction(in.FunctionName)
	if e != nil {
		return nil, e
	}
	var v validation
	validateAliasName(&v, in.Name)
	if e := v.err(); e != nil {
		return nil, e
	}
	existed := false
	e = s.update(func(tx *store.Tx) error {
		if _, err := s.aliasFunction(tx, ref); err != nil {
			return err
		}
		a, err := getAlias(tx, ref.Name, in.Name)
		if err != nil || a == nil {
			return err
		}
		existed = true
		if err := tx.Delete(aliasesBucket(ref.Name), in.Name); err != nil {
			return err
		}
		return tx.Delete(bucketPolicies, policyKey(ref.Name, in.Name))
	})
	if e != nil {
		return nil, e
	}
	if existed {
		s.deleted(ref.Name, in.Name)
	}
	return nil, nil
}

// ListAliasesInput names a function and pages its aliases.
type ListAliasesInput struct {
	FunctionName    string
	FunctionVersion string
	Marker          string
	MaxItems        *int32
}

func bindListAliases(r *http.Request, in *ListAliasesInput) {
	q := r.URL.Query()
	in.FunctionName, in.FunctionVersion = r.PathValue("FunctionName"), q.Get("FunctionVersion")
	in.Marker, in.MaxItems = q.Get("Marker"), queryInt(q, "MaxItems")
}

// ListAliasesOutput is a page of aliases.
type ListAliasesOutput struct {
	Aliases    []AliasConfiguration `json:"Aliases"`
	NextMarker string               `json:"NextMarker,omitempty"`
}

// ListAliases lists a function's aliases by name, optionally only those of one version.
// https://docs.aws.amazon.com/lambda/latest/api/API_ListAliases.html
func (s *Service) ListAliases(_ context.Context, in *ListAliasesInput) (*ListAliasesOutput, *awswire.Error) {
	ref, e := parseAliasFunction(in.FunctionName)
	if e != nil {
		return nil, e
	}
	var v validation
	if in.FunctionVersion != "" {
		validateAliasVersion(&v, in.FunctionVersion)
	}
	v.minInt("maxItems", in.MaxItems, 1)
	v.maxInt("maxItems", in.MaxItems, 10000)
	if e := v.err(); e != nil {
		return nil, e
	}
	limit := 50
	if in.MaxItems != nil {
		limit = int(*in.MaxItems)
	}
	after := ""
	if in.Marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.Marker)
		if err != nil || len(b) == 0 {
			return nil, invalidParameter("Invalid marker: %s", in.Marker)
		}
		after = string(b)
	}
	out := &ListAliasesOutput{Aliases: []AliasConfiguration{}}
	e = s.view(func(tx *store.Tx) error {
		if _, err := s.aliasFunction(tx, ref); err != nil {
			return err
		}
		all, err := listAliases(tx, ref.Name)
		if err != nil {
			return err
		}
		for _, a := range all {
			if after != "" && strings.Compare(a.Name, after) <= 0 {
				continue
			}
			if in.FunctionVersion != "" && a.FunctionVersion != in.FunctionVersion {
				continue
			}
			if len(out.Aliases) == limit {
				last := out.Aliases[len(out.Aliases)-1].Name
				out.NextMarker = base64.RawURLEncoding.EncodeToString([]byte(last))
				break
			}
			out.Aliases = append(out.Aliases, a)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}
