package lambda

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// latest names the unpublished, mutable version of a function.
const latest = "$LATEST"

// Patterns of Lambda's FunctionName and Qualifier members (API reference and SDK model).
const (
	functionNamePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`
	qualifierPattern    = `(|[a-zA-Z0-9$_-]+)`
)

var (
	functionNameRE = regexp.MustCompile(`^` + functionNamePattern + `$`)
	bareNameRE     = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	qualifierRE    = regexp.MustCompile(`^[a-zA-Z0-9$_-]{1,128}$`)
	versionRE      = regexp.MustCompile(`^[0-9]+$`)
)

// functionRef is a function as a request names it: a name, name:qualifier, a partial ARN
// (123456789012:function:name) or a full ARN, each with an optional qualifier.
type functionRef struct {
	Name      string
	Qualifier string // from the name itself; "" when none
	Region    string // from a full ARN; "" when not given
	Account   string // from a (partial) ARN; "" when not given
}

// parseFunctionName reads a FunctionName member. allowQualifier is false for operations whose
// FunctionName may not carry a version or alias (CreateFunction, the concurrency operations).
func parseFunctionName(s string, allowQualifier bool) (functionRef, *awswire.Error) {
	bad := func() (functionRef, *awswire.Error) {
		var v validation
		v.pattern("functionName", s, functionNamePattern)
		return functionRef{}, v.err()
	}
	if s == "" || len(s) > 170 || !functionNameRE.MatchString(s) {
		return bad()
	}
	parts := strings.Split(s, ":")
	var ref functionRef
	switch len(parts) {
	case 1:
		ref.Name = parts[0]
	case 2:
		ref.Name, ref.Qualifier = parts[0], parts[1]
	case 3, 4:
		if parts[1] != "function" {
			return bad()
		}
		ref.Account, ref.Name = parts[0], parts[2]
		if len(parts) == 4 {
			ref.Qualifier = parts[3]
		}
	case 7, 8:
		if parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
			return bad()
		}
		ref.Region, ref.Account, ref.Name = parts[3], parts[4], parts[6]
		if len(parts) == 8 {
			ref.Qualifier = parts[7]
		}
	default:
		return bad()
	}
	if !bareNameRE.MatchString(ref.Name) {
		return bad()
	}
	if ref.Qualifier != "" && !allowQualifier {
		return bad()
	}
	return ref, nil
}

// withQualifier merges the qualifier of the name with the Qualifier parameter.
func (ref functionRef) withQualifier(param string) (functionRef, *awswire.Error) {
	if param != "" && !qualifierRE.MatchString(param) {
		var v validation
		v.pattern("qualifier", param, qualifierPattern)
		return ref, v.err()
	}
	switch {
	case param == "":
	case ref.Qualifier == "":
		ref.Qualifier = param
	case ref.Qualifier != param:
		return ref, invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
	}
	return ref, nil
}

// isVersionNumber reports whether q names a published version.
func isVersionNumber(q string) bool { return versionRE.MatchString(q) }

func versionNumber(q string) int {
	n, _ := strconv.Atoi(q)
	return n
}

// functionARN is the unqualified ARN of a function.
func (s *Service) functionARN(name string) string {
	return "arn:aws:lambda:" + s.region + ":" + s.accountID + ":function:" + name
}

// qualifiedARN is the ARN with the qualifier, or the unqualified ARN when qualifier is "".
func (s *Service) qualifiedARN(name, qualifier string) string {
	if qualifier == "" {
		return s.functionARN(name)
	}
	return s.functionARN(name) + ":" + qualifier
}

// ours reports whether an ARN in the request names this simulator's region and account.
func (s *Service) ours(ref functionRef) bool {
	return (ref.Region == "" || ref.Region == s.region) && (ref.Account == "" || ref.Account == s.accountID)
}
