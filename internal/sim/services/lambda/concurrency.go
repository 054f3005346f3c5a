package lambda

import (
	"context"
	"encoding/json"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PutFunctionConcurrencyInput is the body of PutFunctionConcurrency.
type PutFunctionConcurrencyInput struct {
	FunctionName                 string `json:"-"`
	ReservedConcurrentExecutions *int32 `json:"ReservedConcurrentExecutions"`
}

func (in *PutFunctionConcurrencyInput) setFunctionName(s string) { in.FunctionName = s }

// PutFunctionConcurrency reserves concurrency for a function: it runs at most that many
// invocations at once (0 throttles every invocation), and the account's unreserved pool, shared
// by every other function, shrinks by as much. The pool must keep 100.
// https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
func (s *Service) PutFunctionConcurrency(_ context.Context, in *PutFunctionConcurrencyInput) (*Concurrency, *awswire.Error) {
	ref, e := parseFunctionName(in.FunctionName, false)
	if e != nil {
		return nil, e
	}
	var v validation
	if in.ReservedConcurrentExecutions == nil {
		v.add("Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null")
	}
	v.minInt("reservedConcurrentExecutions", in.ReservedConcurrentExecutions, 0)
	if e := v.err(); e != nil {
		return nil, e
	}
	n := int(*in.ReservedConcurrentExecutions)
	e = s.update(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil || !s.ours(ref) {
			return abort(functionNotFound(s.refARN(ref)))
		}
		others, err := reservedElsewhere(tx, ref.Name)
		if err != nil {
			return err
		}
		if others+n > s.invoker.AccountConcurrency()-invoke.MinUnreservedConcurrency {
			return abort(invalidParameter("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].",
				invoke.MinUnreservedConcurrency))
		}
		rec.ReservedConcurrency = &n
		return putFunction(tx, rec)
	})
	if e != nil {
		return nil, e
	}
	s.invoker.SetReservedConcurrency(ref.Name, &n)
	out := int32(n)
	return &Concurrency{ReservedConcurrentExecutions: &out}, nil
}

// reservedElsewhere sums the reservations of every function but name.
func reservedElsewhere(tx *store.Tx, name string) (int, error) {
	total := 0
	err := tx.ForEach(bucketFunctions, "", func(key string, value []byte) error {
		if key == name {
			return nil
		}
		var rec functionRecord
		if err := json.Unmarshal(value, &rec); err != nil {
			return err
		}
		if rec.ReservedConcurrency != nil {
			total += *rec.ReservedConcurrency
		}
		return nil
	})
	return total, err
}

// GetFunctionConcurrencyInput names a function.
type GetFunctionConcurrencyInput struct {
	FunctionName string
}

func (in *GetFunctionConcurrencyInput) setFunctionName(s string) { in.FunctionName = s }

// GetFunctionConcurrency answers the reservation, or an empty object when there is none.
// https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConcurrency.html
func (s *Service) GetFunctionConcurrency(_ context.Context, in *GetFunctionConcurrencyInput) (*Concurrency, *awswire.Error) {
	ref, e := parseFunctionName(in.FunctionName, false)
	if e != nil {
		return nil, e
	}
	out := &Concurrency{}
	e = s.view(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil || !s.ours(ref) {
			return abort(functionNotFound(s.refARN(ref)))
		}
		if rec.ReservedConcurrency != nil {
			n := int32(*rec.ReservedConcurrency)
			out.ReservedConcurrentExecutions = &n
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DeleteFunctionConcurrencyInput names a function.
type DeleteFunctionConcurrencyInput = GetFunctionConcurrencyInput

// DeleteFunctionConcurrency removes the reservation: the function shares the unreserved pool again.
// https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionConcurrency.html
func (s *Service) DeleteFunctionConcurrency(_ context.Context, in *DeleteFunctionConcurrencyInput) (*struct{}, *awswire.Error) {
	ref, e := parseFunctionName(in.FunctionName, false)
	if e != nil {
		return nil, e
	}
	e = s.update(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil || !s.ours(ref) {
			return abort(functionNotFound(s.refARN(ref)))
		}
		rec.ReservedConcurrency = nil
		return putFunction(tx, rec)
	})
	if e != nil {
		return nil, e
	}
	s.invoker.SetReservedConcurrency(ref.Name, nil)
	return nil, nil
}

// GetAccountSettingsInput has no members.
type GetAccountSettingsInput struct{}

// GetAccountSettingsOutput is the account's limits and usage.
type GetAccountSettingsOutput struct {
	AccountLimit AccountLimit `json:"AccountLimit"`
	AccountUsage AccountUsage `json:"AccountUsage"`
}

// AccountLimit is the account's quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
type AccountLimit struct {
	TotalCodeSize                  int64 `json:"TotalCodeSize"`
	CodeSizeUnzipped               int64 `json:"CodeSizeUnzipped"`
	CodeSizeZipped                 int64 `json:"CodeSizeZipped"`
	ConcurrentExecutions           int32 `json:"ConcurrentExecutions"`
	UnreservedConcurrentExecutions int32 `json:"UnreservedConcurrentExecutions"`
}

// AccountUsage is what the account uses.
type AccountUsage struct {
	TotalCodeSize int64 `json:"TotalCodeSize"`
	FunctionCount int64 `json:"FunctionCount"`
}

// GetAccountSettings: https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html
func (s *Service) GetAccountSettings(_ context.Context, _ *GetAccountSettingsInput) (*GetAccountSettingsOutput, *awswire.Error) {
	out := &GetAccountSettingsOutput{AccountLimit: AccountLimit{
		TotalCodeSize:                  80530636800,
		CodeSizeUnzipped:               unzippedCodeMaxBytes,
		CodeSizeZipped:                 52428800,
		ConcurrentExecutions:           int32(s.invoker.AccountConcurrency()),
		UnreservedConcurrentExecutions: int32(s.invoker.UnreservedConcurrency()),
	}}
	e := s.view(func(tx *store.Tx) error {
		return tx.ForEach(bucketCode, "", func(_ string, zip []byte) error {
			out.AccountUsage.TotalCodeSize += int64(len(zip))
			return nil
		})
	})
	if e != nil {
		return nil, e
	}
	e = s.view(func(tx *store.Tx) error {
		out.AccountUsage.FunctionCount = int64(tx.Count(bucketFunctions))
		return nil
	})
	return out, e
}
