package lambda

import (
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// FunctionInfo is what the async queue and the pollers need to know of a function version beyond
// how to run it: the execution role that acts on its behalf, and its dead-letter queue.
type FunctionInfo struct {
	FunctionName string
	FunctionARN  string // unqualified
	Version      string // "$LATEST" or a number
	Role         string
	// DeadLetterTargetARN is DeadLetterConfig.TargetArn ("" when none). It belongs to the version,
	// as on AWS, unlike event invoke configs.
	DeadLetterTargetARN string
}

// FunctionInfo describes the function (name, ARN or name:qualifier) at qualifier ("" is $LATEST).
func (s *Service) FunctionInfo(name, qualifier string) (FunctionInfo, *awswire.Error) {
	ref, e := parseFunctionName(name, true)
	if e != nil {
		return FunctionInfo{}, e
	}
	if ref, e = ref.withQualifier(qualifier); e != nil {
		return FunctionInfo{}, e
	}
	var info FunctionInfo
	e = s.view(func(tx *store.Tx) error {
		t, err := s.resolve(tx, ref)
		if err != nil {
			return err
		}
		c := t.config()
		info = FunctionInfo{FunctionName: c.FunctionName, FunctionARN: s.functionARN(c.FunctionName), Version: c.Version, Role: c.Role}
		if c.DeadLetterConfig != nil {
			info.DeadLetterTargetARN = c.DeadLetterConfig.TargetARN
		}
		return nil
	})
	return info, e
}

// FunctionRole is the execution role of the function's $LATEST version.
func (s *Service) FunctionRole(name string) (string, error) {
	info, e := s.FunctionInfo(name, "")
	if e != nil {
		return "", e
	}
	return info.Role, nil
}

// OnDelete registers fn to run after a function ("" qualifier) or one of its versions is deleted,
// so that what lives in other packages and belongs to it (function URL configs, event invoke
// configs) goes with it, as on AWS. Register hooks before serving.
func (s *Service) OnDelete(fn func(functionName, qualifier string)) {
	s.deleteHooks = append(s.deleteHooks, fn)
}

func (s *Service) deleted(name, qualifier string) {
	for _, fn := range s.deleteHooks {
		fn(name, qualifier)
	}
}
