package lambda

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Other simulated services invoke functions the way AWS's services do: asynchronously, and only
// when the function's resource-based policy lets that service principal invoke it from that source.
// This is where the simulator refuses what AWS would refuse, so that a trigger wired without its
// permission fails here too (SEMANTICS.md E, pain points 2 and 7).

// AllowsInvoke reports whether the resource-based policy of functionARN (qualified or not) lets
// principal invoke it on behalf of sourceARN in sourceAccount. A function that does not exist is
// deliver.ErrNoTarget.
func (s *Service) AllowsInvoke(_ context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error) {
	ref, e := parseFunctionName(functionARN, true)
	if e != nil {
		return false, fmt.Errorf("%w: %s", deliver.ErrNoTarget, e.Message)
	}
	var allowed bool
	e = s.view(func(tx *store.Tx) error {
		if _, err := s.resolve(tx, ref); err != nil {
			return err
		}
		pol, err := getPolicy(tx, ref.Name, ref.Qualifier)
		if err != nil || pol == nil {
			return err
		}
		for _, st := range pol.Statements {
			if statementAllows(st, principal, sourceARN, sourceAccount) {
				allowed = true
				return nil
			}
		}
		return nil
	})
	if e != nil {
		if e.Code == "ResourceNotFoundException" {
			return false, fmt.Errorf("%w: %s", deliver.ErrNoTarget, e.Message)
		}
		return false, e
	}
	return allowed, nil
}

// statementAllows evaluates one Allow statement for a service principal's invocation. Condition
// keys a service invocation cannot satisfy (an event source token, an organization, function URL
// conditions) make the statement not apply, as they do on AWS.
func statementAllows(st PolicyStatement, principal, sourceARN, sourceAccount string) bool {
	if st.Effect != "Allow" || !actionAllowsInvoke(st.Action) || !principalMatches(st.Principal, principal) {
		return false
	}
	for op, conds := range st.Condition {
		for key, want := range conds {
			switch {
			case op == "StringEquals" && strings.EqualFold(key, "AWS:SourceAccount"):
				if want != sourceAccount {
					return false
				}
			case op == "ArnLike" && strings.EqualFold(key, "AWS:SourceArn"):
				if !arnLike(want, sourceARN) {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

func actionAllowsInvoke(action string) bool {
	return action == "lambda:InvokeFunction" || action == "lambda:*" || action == "*"
}

func principalMatches(p any, principal string) bool {
	switch v := p.(type) {
	case string:
		return v == "*"
	case map[string]any:
		svc, _ := v["Service"].(string)
		return svc == principal
	case map[string]string:
		return v["Service"] == principal
	}
	return false
}

// arnLike matches IAM's ArnLike: each of the six colon-separated parts is matched on its own,
// with * and ? wildcards.
func arnLike(pattern, arn string) bool {
	pp := strings.SplitN(pattern, ":", 6)
	ap := strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return false
	}
	for i := range pp {
		if !globMatch(pp[i], ap[i]) {
			return false
		}
	}
	return true
}

// globMatch matches * and ? (path.Match also treats [ and \ specially, which IAM does not, so
// those are escaped first; path.Match's * does not cross '/', so '/' is swapped for a byte that
// cannot appear in an ARN).
func globMatch(pattern, s string) bool {
	esc := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `/`, "\x00")
	ok, err := path.Match(esc.Replace(pattern), strings.ReplaceAll(s, "/", "\x00"))
	return err == nil && ok
}

// Receive implements deliver.Receiver: another service (SNS, S3, EventBridge, CloudWatch Logs)
// invokes the function asynchronously. The function's policy must allow the delivering principal
// from its source, or the delivery is deliver.ErrDenied; an allowed event is stored for the async
// queue before Receive returns.
func (s *Service) Receive(ctx context.Context, m deliver.Message) error {
	allowed := true
	// A destination of another function of this account is invoked under that function's execution
	// role, which the async queue has checked; no resource-based policy is involved.
	if !(m.Principal == DestinationPrincipal && m.SourceAccount == s.accountID) {
		var err error
		if allowed, err = s.AllowsInvoke(ctx, m.TargetARN, m.Principal, m.SourceARN, m.SourceAccount); err != nil {
			return err
		}
	}
	if !allowed {
		return fmt.Errorf("%w: %s is not allowed to invoke %s from %s", deliver.ErrDenied, m.Principal, m.TargetARN, m.SourceARN)
	}
	if len(m.Body) > invoke.MaxAsyncRequest {
		return fmt.Errorf("%d byte payload is too large for the Event invocation type (limit %d bytes)", len(m.Body), invoke.MaxAsyncRequest)
	}
	ref, e := parseFunctionName(m.TargetARN, true)
	if e != nil {
		return e
	}
	fn, e := s.ResolveFunction(ref.Name, ref.Qualifier)
	if e != nil {
		return e
	}
	if e := s.enqueueFrom(fn, awswire.NewRequestID(), m.Body, "", triggerOf(m)); e != nil {
		return errors.New(e.Error())
	}
	return nil
}

// DestinationPrincipal is the principal the async queue delivers to destinations as.
const DestinationPrincipal = "lambda.amazonaws.com"

// triggerOf names who caused an invocation in the invocation log, e.g. "sns:arn:aws:sns:...".
func triggerOf(m deliver.Message) string {
	service, _, _ := strings.Cut(m.Principal, ".")
	return service + ":" + m.SourceARN
}
