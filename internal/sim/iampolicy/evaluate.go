package iampolicy

import "strings"

// Decision is the outcome of evaluating a request.
type Decision int

const (
	// ImplicitDeny: no statement allows the request (the default).
	ImplicitDeny Decision = iota
	// Allow: a statement allows it and none denies it.
	Allow
	// ExplicitDeny: a Deny statement matches; nothing overrides it.
	ExplicitDeny
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Match says which statement decided a request (for Allow and ExplicitDeny).
type Match struct {
	Policy    *Policy
	Statement int // index in Policy.Statements
	Sid       string
}

// Evaluate decides action on resource against the identity policies of one principal, with
// the request context ctx (condition keys, any case).
func Evaluate(policies []*Policy, action, resource string, ctx map[string]string) Decision {
	d, _ := Explain(policies, action, resource, ctx)
	return d
}

// Explain is Evaluate that also names the deciding statement: the first Deny that matches,
// else the first Allow. It is nil for ImplicitDeny.
func Explain(policies []*Policy, action, resource string, ctx map[string]string) (Decision, *Match) {
	lower := make(map[string]string, len(ctx))
	for k, v := range ctx {
		lower[strings.ToLower(k)] = v
	}
	var allow *Match
	for _, p := range policies {
		if p == nil {
			continue
		}
		for i := range p.Statements {
			st := &p.Statements[i]
			if !st.matches(action, resource, lower, p.Version) {
				continue
			}
			m := &Match{Policy: p, Statement: i, Sid: st.Sid}
			if st.Effect == EffectDeny {
				return ExplicitDeny, m
			}
			if allow == nil {
				allow = m
			}
		}
	}
	if allow != nil {
		return Allow, allow
	}
	return ImplicitDeny, nil
}

// matches: the statement applies to the request when its action, resource and every condition
// match.
func (st *Statement) matches(action, resource string, ctx map[string]string, version string) bool {
	if st.HasNotAction {
		for _, a := range st.NotActions {
			if actionMatch(a, action) {
				return false
			}
		}
	} else if !anyOf(st.Actions, func(a string) bool { return actionMatch(a, action) }) {
		return false
	}
	if st.HasNotResource {
		for _, r := range st.NotResources {
			if resourceMatch(r, resource, ctx, version) {
				return false
			}
		}
	} else if !anyOf(st.Resources, func(r string) bool { return resourceMatch(r, resource, ctx, version) }) {
		return false
	}
	for _, c := range st.Conditions {
		if !c.holds(ctx, version) {
			return false
		}
	}
	return true
}

func anyOf(list []string, f func(string) bool) bool {
	for _, s := range list {
		if f(s) {
			return true
		}
	}
	return false
}
