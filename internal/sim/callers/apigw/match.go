package apigw

import (
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigateway"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/apigatewayv2"
)

// splitPath splits "/a/b" into ["a","b"]; "/" and "" give none. A trailing slash is ignored.
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// restMatch is the resource a REST API request resolved to.
type restMatch struct {
	Resource   *apigateway.Resource
	PathParams map[string]string
}

// matchResource finds the resource for a request path in a deployed resource tree, as API
// Gateway does: at each level a literal path part beats a {param}, which beats a greedy {proxy+};
// a branch that cannot match the rest of the path gives way to the next. nil when none matches.
func matchResource(resources map[string]*apigateway.Resource, path string) *restMatch {
	children := map[string][]*apigateway.Resource{}
	var root *apigateway.Resource
	for _, r := range resources {
		if r.ParentID == "" || r.Path == "/" {
			root = r
			continue
		}
		children[r.ParentID] = append(children[r.ParentID], r)
	}
	if root == nil {
		return nil
	}
	for _, list := range children {
		sort.Slice(list, func(i, j int) bool { return rank(list[i].PathPart) < rank(list[j].PathPart) })
	}
	params := map[string]string{}
	var walk func(node *apigateway.Resource, segs []string) *apigateway.Resource
	walk = func(node *apigateway.Resource, segs []string) *apigateway.Resource {
		if len(segs) == 0 {
			return node
		}
		for _, c := range children[node.ID] {
			part := c.PathPart
			switch {
			case strings.HasSuffix(part, "+}"):
				params[part[1:len(part)-2]] = strings.Join(segs, "/")
				return c
			case strings.HasPrefix(part, "{"):
				name := part[1 : len(part)-1]
				params[name] = segs[0]
				if got := walk(c, segs[1:]); got != nil {
					return got
				}
				delete(params, name)
			case part == segs[0]:
				if got := walk(c, segs[1:]); got != nil {
					return got
				}
			}
		}
		return nil
	}
	res := walk(root, splitPath(path))
	if res == nil {
		return nil
	}
	m := &restMatch{Resource: res}
	if len(params) > 0 {
		m.PathParams = params
	}
	return m
}

// rank orders path parts: literals, then {param}, then {proxy+}.
func rank(part string) int {
	switch {
	case strings.HasSuffix(part, "+}"):
		return 2
	case strings.HasPrefix(part, "{"):
		return 1
	}
	return 0
}

// restMethod picks the method of a matched resource: the request's own, else ANY.
func restMethod(r *apigateway.Resource, method string) *apigateway.Method {
	if m := r.ResourceMethods[method]; m != nil {
		return m
	}
	return r.ResourceMethods["ANY"]
}

// httpMatch is the route an HTTP API request resolved to.
type httpMatch struct {
	Route      *apigatewayv2.Route
	PathParams map[string]string
	// RoutePath is the route key's path ("/pets/{id}"), or "$default".
	RoutePath string
}

// matchRoute selects an HTTP API route the way AWS documents it
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html):
// the most specific match wins (literal segments over {param} over a greedy {proxy+}, compared
// left to right), a route for the request's method beats ANY, and $default catches the rest.
func matchRoute(routes map[string]*apigatewayv2.Route, method, path string) *httpMatch {
	segs := splitPath(path)
	var best *httpMatch
	var bestScore []int
	var def *apigatewayv2.Route
	for _, r := range routes {
		if r.RouteKey == "$default" {
			def = r
			continue
		}
		m, p, ok := strings.Cut(r.RouteKey, " ")
		if !ok || (m != method && m != "ANY") {
			continue
		}
		params, score, ok := matchRoutePath(splitPath(p), segs)
		if !ok {
			continue
		}
		methodScore := 0
		if m == "ANY" {
			methodScore = 1
		}
		score = append(score, methodScore)
		if best == nil || less(score, bestScore) {
			best, bestScore = &httpMatch{Route: r, PathParams: params, RoutePath: p}, score
		}
	}
	if best != nil {
		return best
	}
	if def != nil {
		return &httpMatch{Route: def, RoutePath: "$default"}
	}
	return nil
}

// matchRoutePath matches a route path's segments against a request's; score has one entry per
// route segment (0 literal, 1 param, 2 greedy) so that a lower score is more specific.
func matchRoutePath(route, segs []string) (map[string]string, []int, bool) {
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	score := []int{}
	for i, part := range route {
		if strings.HasSuffix(part, "+}") && strings.HasPrefix(part, "{") {
			if i >= len(segs) {
				return nil, nil, false
			}
			set(part[1:len(part)-2], strings.Join(segs[i:], "/"))
			return params, append(score, 2), true
		}
		if i >= len(segs) {
			return nil, nil, false
		}
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") {
			set(part[1:len(part)-1], segs[i])
			score = append(score, 1)
			continue
		}
		if part != segs[i] {
			return nil, nil, false
		}
		score = append(score, 0)
	}
	if len(route) != len(segs) {
		return nil, nil, false
	}
	return params, score, true
}

// less compares scores left to right; a longer literal prefix wins, then a shorter score.
func less(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) > len(b)
}
