package events

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

var ruleNamePattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)

// maxPatternLength is the API's limit on EventPattern (4,096 characters). The account quota
// "Event pattern size" (2,048, adjustable) is not enforced: the simulator has no quota console.
const maxPatternLength = 4096

func checkRuleName(name string) *awswire.Error {
	if !ruleNamePattern.MatchString(name) {
		return errConstraint(name, "name", `Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`)
	}
	return nil
}

func getRule(tx *store.Tx, bus, name string) (*ruleRecord, *awswire.Error) {
	var r ruleRecord
	if err := tx.Get(bucketRules, ruleKey(bus, name), &r); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errRuleNotFound(name, bus)
		}
		return nil, errInternal(err)
	}
	return &r, nil
}

// compilePattern compiles an EventPattern, answering InvalidEventPatternException as AWS does.
func (s *Service) compilePattern(text string) (*pattern.Pattern, *awswire.Error) {
	p, err := s.patterns.get(text)
	if err != nil {
		var pe *pattern.Error
		if errors.As(err, &pe) {
			return nil, errInvalidPattern(pe.Reason)
		}
		return nil, errInvalidPattern(err.Error())
	}
	return p, nil
}

// firstFire is when a scheduled rule first fires after (re)starting at now.
func firstFire(expr string, now time.Time) time.Time {
	sch, err := parseSchedule(expr)
	if err != nil {
		return time.Time{}
	}
	next, ok := sch.next(now)
	if !ok {
		return time.Time{}
	}
	return next
}

// PutRuleInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
type PutRuleInput struct {
	Name               string
	EventBusName       string
	EventPattern       *string
	ScheduleExpression *string
	State              string
	Description        string
	RoleArn            string
	Tags               []Tag
}

// PutRuleOutput answers PutRule.
type PutRuleOutput struct {
	RuleArn string
}

// PutRule creates or replaces a rule ("If you omit arguments in PutRule, the old values for those
// arguments are not kept"); its targets stay.
func (s *Service) PutRule(_ context.Context, in *PutRuleInput) (*PutRuleOutput, *awswire.Error) {
	if e := checkRuleName(in.Name); e != nil {
		return nil, e
	}
	bus := busName(in.EventBusName)
	patternText := deref(in.EventPattern)
	scheduleText := deref(in.ScheduleExpression)
	if patternText == "" && scheduleText == "" {
		return nil, errValidation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	if len(in.Description) > 512 {
		return nil, errConstraint(in.Description, "description", "Member must have length less than or equal to 512")
	}
	if len(patternText) > maxPatternLength {
		return nil, errConstraint(patternText, "eventPattern", "Member must have length less than or equal to 4096")
	}
	state := in.State
	switch state {
	case "":
		state = stateEnabled
	case stateEnabled, stateDisabled, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS":
	default:
		return nil, errConstraint(state, "state", "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]")
	}
	if scheduleText != "" {
		if bus != DefaultBus {
			return nil, errValidation("ScheduleExpression is supported only on the default event bus.")
		}
		if _, err := parseSchedule(scheduleText); err != nil {
			return nil, errValidation("Parameter ScheduleExpression is not valid.")
		}
	}
	if patternText != "" {
		if _, e := s.compilePattern(patternText); e != nil {
			return nil, e
		}
	}
	var out *PutRuleOutput
	var ae *awswire.Error
	var fire time.Time
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, e := getBus(tx, bus); e != nil {
			ae = e
			return nil
		}
		now := s.now()
		r := ruleRecord{Name: in.Name, Bus: bus, ARN: s.ruleARN(bus, in.Name), Created: now}
		var old ruleRecord
		exists := tx.Get(bucketRules, ruleKey(bus, in.Name), &old) == nil
		if exists {
			r.Created, r.Tags = old.Created, old.Tags
		}
		r.EventPattern, r.ScheduleExpression, r.State = patternText, scheduleText, state
		r.Description, r.RoleARN = in.Description, in.RoleArn
		r.Tags = tagMap(r.Tags, in.Tags)
		if scheduleText != "" && r.enabled() {
			if exists && old.enabled() && old.ScheduleExpression == scheduleText && !old.NextFire.IsZero() {
				r.NextFire = old.NextFire
			} else {
				r.NextFire = firstFire(scheduleText, now)
			}
		}
		fire = r.NextFire
		out = &PutRuleOutput{RuleArn: r.ARN}
		return tx.Put(bucketRules, ruleKey(bus, in.Name), r)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae == nil && !fire.IsZero() {
		s.sched.push(item{at: fire, kind: kindSchedule, key: ruleKey(bus, in.Name)})
	}
	return out, ae
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// RuleRef names a rule on a bus; it is the input of DescribeRule, EnableRule and DisableRule.
type RuleRef struct {
	Name         string
	EventBusName string
}

// DescribeRuleInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html
type DescribeRuleInput = RuleRef

// DescribeRuleOutput answers DescribeRule.
type DescribeRuleOutput struct {
	Arn                string
	Name               string
	EventBusName       string
	EventPattern       string `json:",omitempty"`
	ScheduleExpression string `json:",omitempty"`
	State              string
	Description        string `json:",omitempty"`
	RoleArn            string `json:",omitempty"`
	CreatedBy          string
}

// DescribeRule describes one rule.
func (s *Service) DescribeRule(_ context.Context, in *DescribeRuleInput) (*DescribeRuleOutput, *awswire.Error) {
	bus := busName(in.EventBusName)
	var out *DescribeRuleOutput
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		r, e := getRule(tx, bus, in.Name)
		if e != nil {
			ae = e
			return nil
		}
		out = &DescribeRuleOutput{Arn: r.ARN, Name: r.Name, EventBusName: r.Bus, EventPattern: r.EventPattern,
			ScheduleExpression: r.ScheduleExpression, State: r.State, Description: r.Description, RoleArn: r.RoleARN,
			CreatedBy: s.cfg.AccountID}
		return nil
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return out, ae
}

// ListRulesInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html
type ListRulesInput struct {
	NamePrefix   string
	EventBusName string
	NextToken    string
	Limit        *int
}

// Rule is one entry of ListRules.
type Rule struct {
	Arn                string
	Name               string
	EventBusName       string
	EventPattern       string `json:",omitempty"`
	ScheduleExpression string `json:",omitempty"`
	State              string
	Description        string `json:",omitempty"`
	RoleArn            string `json:",omitempty"`
}

// ListRulesOutput answers ListRules.
type ListRulesOutput struct {
	Rules     []Rule
	NextToken string `json:",omitempty"`
}

// ListRules lists the rules of a bus in name order.
func (s *Service) ListRules(_ context.Context, in *ListRulesInput) (*ListRulesOutput, *awswire.Error) {
	bus := busName(in.EventBusName)
	limit, e := pageLimit(in.Limit)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	out := &ListRulesOutput{Rules: []Rule{}}
	var ae *awswire.Error
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if _, e := getBus(tx, bus); e != nil {
			ae = e
			return nil
		}
		prefix := ruleKey(bus, in.NamePrefix)
		start := ruleKey(bus, after)
		if after == "" || start < prefix {
			start = prefix
		}
		visit := func(key string, value []byte) error {
			if !strings.HasPrefix(key, prefix) {
				if key > prefix {
					return store.ErrStop
				}
				return nil
			}
			if len(out.Rules) == limit {
				out.NextToken = encodeToken(out.Rules[len(out.Rules)-1].Name)
				return store.ErrStop
			}
			var r ruleRecord
			if err := unmarshal(value, &r); err != nil {
				return err
			}
			out.Rules = append(out.Rules, Rule{Arn: r.ARN, Name: r.Name, EventBusName: r.Bus, EventPattern: r.EventPattern,
				ScheduleExpression: r.ScheduleExpression, State: r.State, Description: r.Description, RoleArn: r.RoleARN})
			return nil
		}
		if after == "" {
			return tx.ForEach(bucketRules, prefix, visit)
		}
		return tx.ForEachAfter(bucketRules, start, visit)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae != nil {
		return nil, ae
	}
	return out, nil
}

// EnableRule is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EnableRule.html
func (s *Service) EnableRule(_ context.Context, in *RuleRef) (*struct{}, *awswire.Error) {
	return s.setState(in, stateEnabled)
}

// DisableRule is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html
func (s *Service) DisableRule(_ context.Context, in *RuleRef) (*struct{}, *awswire.Error) {
	return s.setState(in, stateDisabled)
}

func (s *Service) setState(in *RuleRef, state string) (*struct{}, *awswire.Error) {
	bus := busName(in.EventBusName)
	var ae *awswire.Error
	var fire time.Time
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		r, e := getRule(tx, bus, in.Name)
		if e != nil {
			ae = e
			return nil
		}
		wasEnabled := r.enabled()
		r.State = state
		switch {
		case !r.enabled():
			r.NextFire = time.Time{}
		case !wasEnabled && r.ScheduleExpression != "":
			// A re-enabled schedule starts again from now rather than firing for the time it
			// was off.
			r.NextFire = firstFire(r.ScheduleExpression, s.now())
		}
		fire = r.NextFire
		return tx.Put(bucketRules, ruleKey(bus, in.Name), r)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if ae == nil && !fire.IsZero() {
		s.sched.push(item{at: fire, kind: kindSchedule, key: ruleKey(bus, in.Name)})
	}
	return &struct{}{}, ae
}

// DeleteRuleInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html
type DeleteRuleInput struct {
	Name         string
	EventBusName string
	Force        bool
}

// DeleteRule deletes a rule that has no targets left; a rule that does not exist is no error.
func (s *Service) DeleteRule(_ context.Context, in *DeleteRuleInput) (*struct{}, *awswire.Error) {
	if e := checkRuleName(in.Name); e != nil {
		return nil, e
	}
	bus := busName(in.EventBusName)
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if !tx.Has(bucketRules, ruleKey(bus, in.Name)) {
			return nil
		}
		hasTargets := false
		if err := tx.ForEach(bucketTargets, targetPrefix(bus, in.Name), func(string, []byte) error {
			hasTargets = true
			return store.ErrStop
		}); err != nil {
			return err
		}
		if hasTargets {
			ae = errRuleHasTargets()
			return nil
		}
		return tx.Delete(bucketRules, ruleKey(bus, in.Name))
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, ae
}
