package eventconfig

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// owner is the function version or alias a config belongs to.
type owner struct {
	name      string // the function's name
	qualifier string // "$LATEST", a version or an alias
	role      string // the execution role of the version the qualifier names
}

func (o owner) key() string { return o.name + ":" + o.qualifier }

func (s *Service) arn(name, qualifier string) string {
	return "arn:aws:lambda:" + s.cfg.Region + ":" + s.cfg.AccountID + ":function:" + name + ":" + qualifier
}

// resolve finds the function version or alias a request names; it must exist, as on AWS.
func (s *Service) resolve(ctx context.Context, name, qualifier string) (owner, *awswire.Error) {
	c, e := s.cfg.Functions.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: name, Qualifier: qualifier})
	if e != nil {
		return owner{}, e
	}
	q := qualifier
	if q == "" {
		q = embeddedQualifier(name)
	}
	if q == "" {
		q = latest
	}
	return owner{name: c.FunctionName, qualifier: q, role: c.Role}, nil
}

// embeddedQualifier is the qualifier a FunctionName carries itself: "f:alias",
// "123456789012:function:f:alias" or a full qualified ARN.
func embeddedQualifier(name string) string {
	parts := strings.Split(name, ":")
	switch len(parts) {
	case 2:
		return parts[1]
	case 4:
		return parts[3]
	case 8:
		return parts[7]
	}
	return ""
}

// validate checks ranges and destination types, then the role's permission to each destination.
func (s *Service) validate(ctx context.Context, o owner, in *PutFunctionEventInvokeConfigInput) *awswire.Error {
	var v validation
	v.between("maximumRetryAttempts", in.MaximumRetryAttempts, 0, 2)
	v.between("maximumEventAgeInSeconds", in.MaximumEventAgeInSeconds, 60, 21600)
	if e := v.err(); e != nil {
		return e
	}
	for _, d := range destinations(in.DestinationConfig) {
		t, err := ParseDestination(d.arn, d.onFailure)
		if err != nil {
			return invalidParameter("%s", err.Error())
		}
		if s.cfg.Roles == nil {
			continue
		}
		ok, _, err := s.cfg.Roles.Allowed(ctx, o.role, t.Action, t.ARN)
		if err != nil {
			return internalError(err)
		}
		if !ok {
			return roleDenied(t.Verb, t.ARN)
		}
	}
	return nil
}

type dest struct {
	arn       string
	onFailure bool
}

func destinations(dc *DestinationConfig) []dest {
	var out []dest
	if dc == nil {
		return nil
	}
	if dc.OnSuccess != nil && dc.OnSuccess.Destination != nil && *dc.OnSuccess.Destination != "" {
		out = append(out, dest{*dc.OnSuccess.Destination, false})
	}
	if dc.OnFailure != nil && dc.OnFailure.Destination != nil && *dc.OnFailure.Destination != "" {
		out = append(out, dest{*dc.OnFailure.Destination, true})
	}
	return out
}

// normalize drops empty destinations: an empty Destination string removes that side.
func normalize(dc *DestinationConfig) *DestinationConfig {
	if dc == nil {
		return nil
	}
	out := &DestinationConfig{}
	if dc.OnSuccess != nil && dc.OnSuccess.Destination != nil && *dc.OnSuccess.Destination != "" {
		out.OnSuccess = &Destination{Destination: dc.OnSuccess.Destination}
	}
	if dc.OnFailure != nil && dc.OnFailure.Destination != nil && *dc.OnFailure.Destination != "" {
		out.OnFailure = &Destination{Destination: dc.OnFailure.Destination}
	}
	return out
}

// PutFunctionEventInvokeConfig replaces the config: members not given are reset to their defaults.
func (s *Service) PutFunctionEventInvokeConfig(ctx context.Context, in *PutFunctionEventInvokeConfigInput) (*FunctionEventInvokeConfig, *awswire.Error) {
	o, e := s.resolve(ctx, in.FunctionName, in.Qualifier)
	if e != nil {
		return nil, e
	}
	if e := s.validate(ctx, o, in); e != nil {
		return nil, e
	}
	rec := record{
		FunctionName:             o.name,
		Qualifier:                o.qualifier,
		MaximumRetryAttempts:     in.MaximumRetryAttempts,
		MaximumEventAgeInSeconds: in.MaximumEventAgeInSeconds,
		DestinationConfig:        normalize(in.DestinationConfig),
		LastModifiedMs:           s.cfg.Clock.Now().UnixMilli(),
	}
	if err := s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Put(Bucket, o.key(), rec) }); err != nil {
		return nil, internalError(err)
	}
	return s.output(rec), nil
}

// UpdateFunctionEventInvokeConfig merges the members given into the stored config.
func (s *Service) UpdateFunctionEventInvokeConfig(ctx context.Context, in *UpdateFunctionEventInvokeConfigInput) (*FunctionEventInvokeConfig, *awswire.Error) {
	o, e := s.resolve(ctx, in.FunctionName, in.Qualifier)
	if e != nil {
		return nil, e
	}
	if e := s.validate(ctx, o, in); e != nil {
		return nil, e
	}
	var rec record
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.Get(Bucket, o.key(), &rec); err != nil {
			return err
		}
		if in.MaximumRetryAttempts != nil {
			rec.MaximumRetryAttempts = in.MaximumRetryAttempts
		}
		if in.MaximumEventAgeInSeconds != nil {
			rec.MaximumEventAgeInSeconds = in.MaximumEventAgeInSeconds
		}
		if dc := in.DestinationConfig; dc != nil {
			merged := rec.DestinationConfig
			if merged == nil {
				merged = &DestinationConfig{}
			}
			if dc.OnSuccess != nil {
				merged.OnSuccess = dc.OnSuccess
			}
			if dc.OnFailure != nil {
				merged.OnFailure = dc.OnFailure
			}
			rec.DestinationConfig = normalize(merged)
		}
		rec.LastModifiedMs = s.cfg.Clock.Now().UnixMilli()
		return tx.Put(Bucket, o.key(), rec)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, noConfig(s.arn(o.name, o.qualifier))
	}
	if err != nil {
		return nil, internalError(err)
	}
	return s.output(rec), nil
}

// GetFunctionEventInvokeConfig returns the config of a function, version or alias.
func (s *Service) GetFunctionEventInvokeConfig(ctx context.Context, in *GetFunctionEventInvokeConfigInput) (*FunctionEventInvokeConfig, *awswire.Error) {
	o, e := s.resolve(ctx, in.FunctionName, in.Qualifier)
	if e != nil {
		return nil, e
	}
	var rec record
	err := s.cfg.Store.View(func(tx *store.Tx) error { return tx.Get(Bucket, o.key(), &rec) })
	if errors.Is(err, store.ErrNotFound) {
		return nil, noConfig(s.arn(o.name, o.qualifier))
	}
	if err != nil {
		return nil, internalError(err)
	}
	return s.output(rec), nil
}

// DeleteFunctionEventInvokeConfig deletes the config of a function, version or alias.
func (s *Service) DeleteFunctionEventInvokeConfig(ctx context.Context, in *DeleteFunctionEventInvokeConfigInput) (*struct{}, *awswire.Error) {
	o, e := s.resolve(ctx, in.FunctionName, in.Qualifier)
	if e != nil {
		return nil, e
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if !tx.Has(Bucket, o.key()) {
			return store.ErrNotFound
		}
		return tx.Delete(Bucket, o.key())
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, noConfig(s.arn(o.name, o.qualifier))
	}
	if err != nil {
		return nil, internalError(err)
	}
	return nil, nil
}

// ListFunctionEventInvokeConfigs lists the configs of every version and alias of a function,
// ordered by qualifier; the marker is the qualifier to start from.
func (s *Service) ListFunctionEventInvokeConfigs(ctx context.Context, in *ListFunctionEventInvokeConfigsInput) (*ListFunctionEventInvokeConfigsOutput, *awswire.Error) {
	limit := 50
	if in.MaxItems != nil {
		var v validation
		v.between("maxItems", in.MaxItems, 1, 50)
		if e := v.err(); e != nil {
			return nil, e
		}
		limit = int(*in.MaxItems)
	}
	name := in.FunctionName
	if q := embeddedQualifier(name); q != "" {
		return nil, invalidParameter("Function name %s must not carry a qualifier", name)
	}
	o, e := s.resolve(ctx, name, "")
	if e != nil {
		return nil, e
	}
	var recs []record
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(Bucket, o.name+":", func(_ string, v []byte) error {
			var r record
			if err := jsonUnmarshal(v, &r); err != nil {
				return err
			}
			if r.FunctionName == o.name {
				recs = append(recs, r)
			}
			return nil
		})
	})
	if err != nil {
		return nil, internalError(err)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Qualifier < recs[j].Qualifier })
	out := &ListFunctionEventInvokeConfigsOutput{FunctionEventInvokeConfigs: []FunctionEventInvokeConfig{}}
	for _, r := range recs {
		if in.Marker != "" && r.Qualifier < in.Marker {
			continue
		}
		if len(out.FunctionEventInvokeConfigs) == limit {
			next := r.Qualifier
			out.NextMarker = &next
			break
		}
		out.FunctionEventInvokeConfigs = append(out.FunctionEventInvokeConfigs, *s.output(r))
	}
	return out, nil
}

func (s *Service) output(r record) *FunctionEventInvokeConfig {
	return &FunctionEventInvokeConfig{
		DestinationConfig:        r.DestinationConfig,
		FunctionARN:              s.arn(r.FunctionName, r.Qualifier),
		LastModified:             float64(r.LastModifiedMs) / 1000,
		MaximumEventAgeInSeconds: r.MaximumEventAgeInSeconds,
		MaximumRetryAttempts:     r.MaximumRetryAttempts,
	}
}

// Lookup returns the settings the async queue applies to an event of function name invoked with
// qualifier ("" is $LATEST): the stored config of exactly that version or alias, with AWS's
// defaults for what it does not set.
func (s *Service) Lookup(name, qualifier string) (Settings, error) {
	if qualifier == "" {
		qualifier = latest
	}
	set := Settings{MaximumRetryAttempts: DefaultMaximumRetryAttempts, MaximumEventAgeInSeconds: DefaultMaximumEventAgeInSeconds}
	var rec record
	err := s.cfg.Store.View(func(tx *store.Tx) error { return tx.Get(Bucket, name+":"+qualifier, &rec) })
	if errors.Is(err, store.ErrNotFound) {
		return set, nil
	}
	if err != nil {
		return set, err
	}
	if rec.MaximumRetryAttempts != nil {
		set.MaximumRetryAttempts = int(*rec.MaximumRetryAttempts)
	}
	if rec.MaximumEventAgeInSeconds != nil {
		set.MaximumEventAgeInSeconds = int(*rec.MaximumEventAgeInSeconds)
	}
	if dc := rec.DestinationConfig; dc != nil {
		if dc.OnSuccess != nil && dc.OnSuccess.Destination != nil {
			set.OnSuccess = *dc.OnSuccess.Destination
		}
		if dc.OnFailure != nil && dc.OnFailure.Destination != nil {
			set.OnFailure = *dc.OnFailure.Destination
		}
	}
	return set, nil
}

// ForgetFunction deletes every config of a deleted function (AWS deletes them with it); the
// Lambda service calls it from DeleteFunction, or with a qualifier from DeleteAlias and a
// version's deletion ("" deletes all).
func (s *Service) ForgetFunction(name, qualifier string) error {
	return s.cfg.Store.Update(func(tx *store.Tx) error {
		if qualifier != "" {
			return tx.Delete(Bucket, name+":"+qualifier)
		}
		var keys []string
		tx.ForEach(Bucket, name+":", func(k string, _ []byte) error {
			if strings.Count(k[len(name):], ":") == 1 {
				keys = append(keys, k)
			}
			return nil
		})
		for _, k := range keys {
			if err := tx.Delete(Bucket, k); err != nil {
				return err
			}
		}
		return nil
	})
}
