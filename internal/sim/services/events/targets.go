package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// maxTargetsPerRule is AWS's "Targets per rule" quota (5, not adjustable).
const maxTargetsPerRule = 5

var targetIDPattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)

// PutTargetsInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html
type PutTargetsInput struct {
	Rule         string
	EventBusName string
	Targets      []json.RawMessage
}

// FailedEntry is a target that PutTargets or RemoveTargets could not change.
type FailedEntry struct {
	TargetId     string
	ErrorCode    string
	ErrorMessage string
}

// PutTargetsOutput answers PutTargets.
type PutTargetsOutput struct {
	FailedEntryCount int
	FailedEntries    []FailedEntry
}

// PutTargets adds or replaces (by Id) targets of a rule. Shape and range errors answer
// ValidationException for the whole request, as AWS's request validation does; FailedEntries
// is always empty in the simulator (AWS fills it for concurrency and internal failures).
func (s *Service) PutTargets(_ context.Context, in *PutTargetsInput) (*PutTargetsOutput, *awswire.Error) {
	if e := checkRuleName(in.Rule); e != nil {
		return nil, errConstraint(in.Rule, "rule", `Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`)
	}
	if len(in.Targets) == 0 || len(in.Targets) > 100 {
		return nil, errConstraint("[...]", "targets", "Member must have length between 1 and 100")
	}
	bus := busName(in.EventBusName)
	records := make([]targetRecord, 0, len(in.Targets))
	for i, raw := range in.Targets {
		var spec targetSpec
		if err := json.Unmarshal(raw, &spec); err != nil {
			return nil, errValidation("Target %d is not valid: %v", i+1, err)
		}
		if e := validateTarget(i+1, &spec); e != nil {
			return nil, e
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return nil, errValidation("Target %d is not valid: %v", i+1, err)
		}
		records = append(records, targetRecord{Raw: compact.Bytes(), Spec: spec})
	}
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, e := getBus(tx, bus); e != nil {
			ae = e
			return nil
		}
		if _, e := getRule(tx, bus, in.Rule); e != nil {
			ae = e
			return nil
		}
		existing := map[string]bool{}
		if err := tx.ForEach(bucketTargets, targetPrefix(bus, in.Rule), func(k string, _ []byte) error {
			existing[strings.TrimPrefix(k, targetPrefix(bus, in.Rule))] = true
			return nil
		}); err != nil {
			return err
		}
		for _, r := range records {
			existing[r.Spec.ID] = true
		}
		if len(existing) > maxTargetsPerRule {
			ae = errLimitExceeded("The requested resource exceeds the maximum number allowed.")
			return nil
		}
		for _, r := range records {
			if err := tx.Put(bucketTargets, targetPrefix(bus, in.Rule)+r.Spec.ID, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	return &PutTargetsOutput{FailedEntries: []FailedEntry{}}, nil
}

// validateTarget applies the API's constraints to target number n (1-based).
func validateTarget(n int, t *targetSpec) *awswire.Error {
	member := func(name string) string { return fmt.Sprintf("targets.%d.member.%s", n, name) }
	if !targetIDPattern.MatchString(t.ID) {
		return errConstraint(t.ID, member("id"), `Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`)
	}
	if t.ARN == "" || len(t.ARN) > 1600 {
		return errConstraint(t.ARN, member("arn"), "Member must have length between 1 and 1600")
	}
	if !strings.HasPrefix(t.ARN, "arn:") || strings.Count(t.ARN, ":") < 5 {
		return errValidation("Parameter %s is not valid. Reason: Provided Arn is not in correct format.", t.ARN)
	}
	inputs := 0
	if t.Input != nil {
		inputs++
		if len(*t.Input) > 8192 {
			return errConstraint("...", member("input"), "Member must have length less than or equal to 8192")
		}
		if !json.Valid([]byte(*t.Input)) {
			return errValidation("Input for target %s is not valid JSON text.", t.ID)
		}
	}
	if t.InputPath != nil {
		inputs++
		if len(*t.InputPath) > 256 {
			return errConstraint(*t.InputPath, member("inputPath"), "Member must have length less than or equal to 256")
		}
		if _, err := parseJSONPath(*t.InputPath); err != nil {
			return errValidation("InputPath for target %s is not a valid JSON path.", t.ID)
		}
	}
	if tr := t.InputTransformer; tr != nil {
		inputs++
		if tr.InputTemplate == "" || len(tr.InputTemplate) > 8192 {
			return errConstraint("...", member("inputTransformer.inputTemplate"), "Member must have length between 1 and 8192")
		}
		if len(tr.InputPathsMap) > 100 {
			return errValidation("InputPathsMap for target %s has more than 100 variables.", t.ID)
		}
		for name, p := range tr.InputPathsMap {
			if reservedVariable(name) {
				return errValidation("InputTransformer for target %s uses the reserved variable name %s.", t.ID, name)
			}
			if _, err := parseJSONPath(p); err != nil {
				return errValidation("InputPathsMap for target %s has an invalid JSON path for %s: %s", t.ID, name, p)
			}
		}
	}
	if inputs > 1 {
		return errValidation("Only one of Input, InputPath, or InputTransformer must be provided for target %s.", t.ID)
	}
	if rp := t.RetryPolicy; rp != nil {
		if v := rp.MaximumRetryAttempts; v != nil && (*v < 0 || *v > 185) {
			return errConstraint(*v, member("retryPolicy.maximumRetryAttempts"), "Member must have value between 0 and 185")
		}
		if v := rp.MaximumEventAgeInSeconds; v != nil && (*v < 60 || *v > 86400) {
			return errConstraint(*v, member("retryPolicy.maximumEventAgeInSeconds"), "Member must have value between 60 and 86400")
		}
	}
	if d := t.DeadLetterConfig; d != nil && d.ARN != "" && !strings.HasPrefix(d.ARN, "arn:aws:sqs:") {
		// "EventBridge DLQs are standard Amazon SQS queues."
		return errValidation("Parameter DeadLetterConfig.Arn for target %s is not valid. Reason: it must be an SQS queue ARN.", t.ID)
	}
	return nil
}

// RemoveTargetsInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemoveTargets.html
type RemoveTargetsInput struct {
	Rule         string
	EventBusName string
	Ids          []string
	Force        bool
}

// RemoveTargetsOutput answers RemoveTargets.
type RemoveTargetsOutput = PutTargetsOutput

// RemoveTargets removes targets by Id; Ids that the rule does not have are ignored.
func (s *Service) RemoveTargets(_ context.Context, in *RemoveTargetsInput) (*RemoveTargetsOutput, *awswire.Error) {
	if e := checkRuleName(in.Rule); e != nil {
		return nil, errConstraint(in.Rule, "rule", `Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`)
	}
	if len(in.Ids) == 0 || len(in.Ids) > 100 {
		return nil, errConstraint("[...]", "ids", "Member must have length between 1 and 100")
	}
	bus := busName(in.EventBusName)
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, e := getRule(tx, bus, in.Rule); e != nil {
			ae = e
			return nil
		}
		for _, id := range in.Ids {
			if err := tx.Delete(bucketTargets, targetPrefix(bus, in.Rule)+id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	return &RemoveTargetsOutput{FailedEntries: []FailedEntry{}}, nil
}

// ListTargetsByRuleInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html
type ListTargetsByRuleInput struct {
	Rule         string
	EventBusName string
	NextToken    string
	Limit        *int
}

// ListTargetsByRuleOutput answers ListTargetsByRule; each target is echoed as it was put.
type ListTargetsByRuleOutput struct {
	Targets   []json.RawMessage
	NextToken string `json:",omitempty"`
}

// ListTargetsByRule lists a rule's targets in Id order.
func (s *Service) ListTargetsByRule(_ context.Context, in *ListTargetsByRuleInput) (*ListTargetsByRuleOutput, *awswire.Error) {
	bus := busName(in.EventBusName)
	limit, e := pageLimit(in.Limit)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	out := &ListTargetsByRuleOutput{Targets: []json.RawMessage{}}
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, e := getRule(tx, bus, in.Rule); e != nil {
			ae = e
			return nil
		}
		prefix := targetPrefix(bus, in.Rule)
		var lastID string
		return tx.ForEach(bucketTargets, prefix, func(k string, v []byte) error {
			id := strings.TrimPrefix(k, prefix)
			if after != "" && id <= after {
				return nil
			}
			if len(out.Targets) == limit {
				out.NextToken = encodeToken(lastID)
				return store.ErrStop
			}
			var r targetRecord
			if err := unmarshal(v, &r); err != nil {
				return err
			}
			out.Targets = append(out.Targets, r.Raw)
			lastID = id
			return nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	return out, nil
}

// ListRuleNamesByTargetInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRuleNamesByTarget.html
type ListRuleNamesByTargetInput struct {
	TargetArn    string
	EventBusName string
	NextToken    string
	Limit        *int
}

// ListRuleNamesByTargetOutput answers ListRuleNamesByTarget.
type ListRuleNamesByTargetOutput struct {
	RuleNames []string
	NextToken string `json:",omitempty"`
}

// ListRuleNamesByTarget lists the rules of a bus that have a target with the given ARN.
func (s *Service) ListRuleNamesByTarget(_ context.Context, in *ListRuleNamesByTargetInput) (*ListRuleNamesByTargetOutput, *awswire.Error) {
	bus := busName(in.EventBusName)
	limit, e := pageLimit(in.Limit)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	out := &ListRuleNamesByTargetOutput{RuleNames: []string{}}
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		seen := map[string]bool{}
		return tx.ForEach(bucketTargets, bus+keySep, func(k string, v []byte) error {
			rule, _, _ := strings.Cut(strings.TrimPrefix(k, bus+keySep), keySep)
			if seen[rule] || (after != "" && rule <= after) {
				return nil
			}
			var r targetRecord
			if err := unmarshal(v, &r); err != nil {
				return err
			}
			if r.Spec.ARN != in.TargetArn {
				return nil
			}
			if len(out.RuleNames) == limit {
				out.NextToken = encodeToken(out.RuleNames[len(out.RuleNames)-1])
				return store.ErrStop
			}
			seen[rule] = true
			out.RuleNames = append(out.RuleNames, rule)
			return nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return out, nil
}
