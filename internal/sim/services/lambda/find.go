package lambda

import (
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Finders own not-found: every operation resolves the function (version) it names here, and gets
// AWS's ResourceNotFoundException ("Function not found: <arn>") when there is none.

// parseUnqualified reads the FunctionName of an operation on $LATEST (the Update operations).
func (s *Service) parseUnqualified(name string) (functionRef, *awswire.Error) {
	ref, e := parseFunctionName(name, true)
	if e != nil {
		return ref, e
	}
	if ref.Qualifier != "" && ref.Qualifier != latest {
		return ref, invalidParameter("Only the $LATEST version of a function can be updated; %s names version or alias %s.", name, ref.Qualifier)
	}
	ref.Qualifier = ""
	return ref, nil
}

// target is the function version a request names.
type target struct {
	fn        *functionRecord
	ver       *versionRecord      // nil: $LATEST
	alias     *AliasConfiguration // the alias the qualifier names; nil when it names a version
	qualifier string              // as given: "", "$LATEST", a version number or an alias name
}

// revisionID is the RevisionId of what the qualifier names: the alias's own when it is an alias.
func (t *target) revisionID() *string {
	if t.alias != nil {
		return &t.alias.RevisionID
	}
	return &t.config().RevisionID
}

// config is the target's stored configuration.
func (t *target) config() *FunctionConfiguration {
	if t.ver != nil {
		return &t.ver.Config
	}
	return &t.fn.Config
}

// output is the configuration as Get answers it: qualified with $LATEST when asked so.
func (t *target) output(s *Service) FunctionConfiguration {
	c := *t.config()
	if t.qualifier == latest {
		c.FunctionARN = s.qualifiedARN(c.FunctionName, latest)
	}
	return c
}

// find resolves a FunctionName (and Qualifier) to a version in its own transaction.
func (s *Service) find(name, qualifier string) (*target, *awswire.Error) {
	ref, e := parseFunctionName(name, true)
	if e != nil {
		return nil, e
	}
	if ref, e = ref.withQualifier(qualifier); e != nil {
		return nil, e
	}
	var t *target
	e = s.view(func(tx *store.Tx) error {
		var err error
		t, err = s.resolve(tx, ref)
		return err
	})
	return t, e
}

// resolve finds the version ref names. A qualifier that is neither $LATEST nor a number names an
// alias, which resolves to its version; an unknown alias is not found, as on AWS.
func (s *Service) resolve(tx *store.Tx, ref functionRef) (*target, error) {
	if !s.ours(ref) {
		return nil, abort(functionNotFound(s.refARN(ref)))
	}
	rec, err := getFunction(tx, ref.Name)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, abort(functionNotFound(s.qualifiedARN(ref.Name, ref.Qualifier)))
	}
	t := &target{fn: rec, qualifier: ref.Qualifier}
	version := ref.Qualifier
	if version != "" && version != latest && !isVersionNumber(version) {
		if t.alias, err = getAlias(tx, ref.Name, version); err != nil {
			return nil, err
		}
		if t.alias == nil {
			return nil, abort(functionNotFound(s.qualifiedARN(ref.Name, ref.Qualifier)))
		}
		version = t.alias.FunctionVersion
	}
	if version != "" && version != latest {
		if t.ver, err = getVersion(tx, ref.Name, versionNumber(version)); err != nil {
			return nil, err
		}
		if t.ver == nil {
			return nil, abort(functionNotFound(s.qualifiedARN(ref.Name, ref.Qualifier)))
		}
	}
	return t, nil
}

// refARN is the ARN a not-found error names: the caller's own ARN when it gave one.
func (s *Service) refARN(ref functionRef) string {
	region, account := ref.Region, ref.Account
	if region == "" {
		region = s.region
	}
	if account == "" {
		account = s.accountID
	}
	arn := "arn:aws:lambda:" + region + ":" + account + ":function:" + ref.Name
	if ref.Qualifier != "" {
		arn += ":" + ref.Qualifier
	}
	return arn
}
