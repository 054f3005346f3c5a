package dynamodb

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// requestExprs are the expression parameters of one request and their placeholders.
type requestExprs struct {
	Names  map[string]string
	Values map[string]Value

	Update, Condition, KeyCondition, Filter, Projection *string
	// valueExprs names the parameters of this operation that may use values, for AWS's
	// "ExpressionAttributeValues can only be specified when using expressions: ..." message.
	valueExprs []string
}

// parsedExprs are a request's parsed expressions.
type parsedExprs struct {
	update       *update
	condition    *cond
	keyCondition *cond
	filter       *cond
	projection   []docPath

	updateInfo, filterInfo, keyInfo, projectionInfo parseInfo
}

// legacy lists a request's legacy (pre-expression) parameters that were present. The simulator
// refuses them rather than ignore them.
type legacy map[string]json.RawMessage

// checkLegacy answers AWS's error for legacy and expression parameters together, and refuses
// legacy parameters alone (ours: they are not simulated).
func checkLegacy(l legacy, exprParams []string) *awswire.Error {
	var present []string
	for name, raw := range l {
		if len(raw) > 0 && string(raw) != "null" {
			present = append(present, name)
		}
	}
	if len(present) == 0 {
		return nil
	}
	sort.Strings(present)
	if len(exprParams) > 0 {
		return errValidation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {%s} Expression parameters: {%s}",
			strings.Join(present, ", "), strings.Join(exprParams, ", "))
	}
	return errUnsupported("The legacy parameter " + present[0] + " (use the expression parameters instead)")
}

// parse validates the placeholders and parses every expression of the request, in the order and
// with the messages AWS uses (as dynalite recorded them): placeholder maps first, then Update,
// Condition, KeyCondition, Filter and Projection expressions, then placeholders never used.
func (r *requestExprs) parse() (*parsedExprs, *awswire.Error) {
	present := r.present()
	if r.Names != nil && len(present) == 0 {
		return nil, errValidation("ExpressionAttributeNames can only be specified when using expressions")
	}
	if r.Values != nil && len(r.valueExprs) > 0 {
		used := false
		for _, p := range present {
			if p != "ProjectionExpression" {
				used = true
			}
		}
		if !used {
			verb := "is"
			if len(r.valueExprs) > 1 {
				verb = "are"
			}
			return nil, errValidation("ExpressionAttributeValues can only be specified when using expressions: %s %s null", strings.Join(r.valueExprs, " and "), verb)
		}
	}
	if r.Names != nil {
		if len(r.Names) == 0 {
			return nil, errValidation("ExpressionAttributeNames must not be empty")
		}
		for _, k := range sortedKeys(r.Names) {
			if !validPlaceholder(k, '#') {
				return nil, errValidation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "%s"`, k)
			}
		}
	}
	if r.Values != nil {
		if len(r.Values) == 0 {
			return nil, errValidation("ExpressionAttributeValues must not be empty")
		}
		keys := sortedKeys(r.Values)
		for _, k := range keys {
			if !validPlaceholder(k, ':') {
				return nil, errValidation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "%s"`, k)
			}
		}
		for _, k := range keys {
			v := r.Values[k]
			if msg := validateValue(&v); msg != "" {
				return nil, errValidation("ExpressionAttributeValues contains invalid value: %s for key %s", msg, k)
			}
			r.Values[k] = v
		}
	}
	ctx := newExprCtx(r.Names, r.Values)
	out := &parsedExprs{}
	var msg string
	if r.Update != nil {
		if out.update, out.updateInfo, msg = parseUpdate(*r.Update, ctx); msg != "" {
			return nil, errValidation("Invalid UpdateExpression: %s", msg)
		}
	}
	if r.Condition != nil {
		if out.condition, _, msg = parseCondition(*r.Condition, ctx); msg != "" {
			return nil, errValidation("Invalid ConditionExpression: %s", msg)
		}
	}
	if r.KeyCondition != nil {
		if out.keyCondition, out.keyInfo, msg = parseCondition(*r.KeyCondition, ctx); msg != "" {
			return nil, errValidation("Invalid KeyConditionExpression: %s", msg)
		}
	}
	if r.Filter != nil {
		if out.filter, out.filterInfo, msg = parseCondition(*r.Filter, ctx); msg != "" {
			return nil, errValidation("Invalid FilterExpression: %s", msg)
		}
	}
	if r.Projection != nil {
		if out.projection, out.projectionInfo, msg = parseProjection(*r.Projection, ctx); msg != "" {
			return nil, errValidation("Invalid ProjectionExpression: %s", msg)
		}
	}
	if unused := unusedKeys(r.Names, ctx.usedNames); unused != "" {
		return nil, errValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", unused)
	}
	if unused := unusedKeys(r.Values, ctx.usedValues); unused != "" {
		return nil, errValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", unused)
	}
	return out, nil
}

func (r *requestExprs) present() []string {
	var out []string
	for _, e := range []struct {
		name string
		p    *string
	}{{"UpdateExpression", r.Update}, {"ConditionExpression", r.Condition}, {"KeyConditionExpression", r.KeyCondition}, {"FilterExpression", r.Filter}, {"ProjectionExpression", r.Projection}} {
		if e.p != nil {
			out = append(out, e.name)
		}
	}
	return out
}

func validPlaceholder(k string, prefix byte) bool {
	if len(k) < 2 || k[0] != prefix {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !isWordByte(k[i]) {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func unusedKeys[V any](m map[string]V, used map[string]bool) string {
	var out []string
	for _, k := range sortedKeys(m) {
		if !used[k] {
			out = append(out, k)
		}
	}
	return strings.Join(out, ", ")
}
