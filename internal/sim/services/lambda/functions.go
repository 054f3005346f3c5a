package lambda

import (
	"context"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// lastModifiedLayout is how Lambda writes LastModified: 2024-05-01T12:00:00.000+0000.
const lastModifiedLayout = "2006-01-02T15:04:05.000-0700"

// CreateFunctionInput is the body of CreateFunction.
type CreateFunctionInput struct {
	FunctionName  string            `json:"FunctionName"`
	Code          *FunctionCode     `json:"Code"`
	PackageType   string            `json:"PackageType,omitempty"`
	Publish       bool              `json:"Publish,omitempty"`
	PublishTo     string            `json:"PublishTo,omitempty"`
	Tags          map[string]string `json:"Tags,omitempty"`
	Architectures []string          `json:"Architectures,omitempty"`
	configInput
}

// CreateFunction creates a function from a .zip package. It answers with the function Pending;
// it becomes Active after the activation delay (and so does version 1 when Publish is set).
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
func (s *Service) CreateFunction(ctx context.Context, in *CreateFunctionInput) (*FunctionConfiguration, *awswire.Error) {
	ref, e := parseFunctionName(in.FunctionName, false)
	if e != nil {
		return nil, e
	}
	if !s.ours(ref) {
		return nil, invalidParameter("Functions can be created only in the simulator's own Region and account (%s, %s).", s.region, s.accountID)
	}
	if e := checkArchitectures(in.Architectures); e != nil {
		return nil, e
	}
	if e := in.configInput.validate(); e != nil {
		return nil, e
	}
	if in.PackageType == "Image" {
		return nil, invalidParameter("The lambdatrigger simulator runs .zip deployment packages only (PackageType Zip); it cannot run container images.")
	}
	if in.PackageType != "" && in.PackageType != "Zip" {
		var v validation
		v.enum("packageType", in.PackageType, "Zip", "Image")
		return nil, v.err()
	}
	if in.Runtime == nil || *in.Runtime == "" || in.Handler == nil || *in.Handler == "" {
		return nil, invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	if in.Role == nil || *in.Role == "" {
		var v validation
		v.add("Value null at 'role' failed to satisfy constraint: Member must not be null")
		return nil, v.err()
	}
	if in.DeadLetterConfig != nil {
		if e := s.checkDeadLetter(ctx, *in.Role, in.DeadLetterConfig.TargetARN); e != nil {
			return nil, e
		}
	}
	if in.PublishTo != "" {
		return nil, invalidParameter("The lambdatrigger simulator does not support PublishTo.")
	}
	if in.Code == nil {
		return nil, invalidParameter("Please provide a source for function code.")
	}
	if e := codeSource(*in.Code); e != nil {
		return nil, e
	}
	if e := checkTags(in.Tags, len(in.Tags)); e != nil {
		return nil, e
	}

	zip := in.Code.ZipFile
	cfg := FunctionConfiguration{
		FunctionName:  ref.Name,
		FunctionARN:   s.functionARN(ref.Name),
		Timeout:       trigger.TimeoutDefault,
		MemorySize:    trigger.MemorySizeDefault,
		CodeSize:      int64(len(zip)),
		CodeSHA256:    codeSHA256(zip),
		Version:       latest,
		TracingConfig: &TracingConfig{Mode: defaultTracingMode},
		PackageType:   "Zip",
		Architectures: []string{defaultArch},
		EphemeralStorage: &EphemeralStorage{Size: func() *int32 {
			n := int32(ephemeralStorageMin)
			return &n
		}()},
		SnapStart:     &SnapStartResponse{ApplyOn: "None", OptimizationStatus: "Off"},
		LoggingConfig: &LoggingConfig{LogFormat: "Text", LogGroup: "/aws/lambda/" + ref.Name},
	}
	if len(in.Architectures) == 1 {
		cfg.Architectures = []string{in.Architectures[0]}
	}
	in.configInput.apply(&cfg)
	s.touch(&cfg)
	cfg.State, cfg.StateReason, cfg.StateReasonCode = statePending, reasonCreating, reasonCodeCreating

	rec := &functionRecord{Config: cfg, Transition: awswire.NewUUID(), Digest: digest(cfg)}
	if len(in.Tags) > 0 {
		rec.Tags = in.Tags
	}
	var published *versionRecord
	e = s.update(func(tx *store.Tx) error {
		existing, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if existing != nil {
			return abort(conflict("Function already exist: %s", ref.Name))
		}
		if err := putCode(tx, cfg.CodeSHA256, zip); err != nil {
			return err
		}
		if in.Publish {
			if published, err = s.publish(tx, rec, ""); err != nil {
				return err
			}
		}
		return putFunction(tx, rec)
	})
	if e != nil {
		return nil, e
	}
	s.schedule(ref.Name, "", rec.Transition)
	if published != nil {
		s.schedule(ref.Name, published.Config.Version, published.Transition)
		out := published.Config
		return &out, nil
	}
	out := rec.Config
	return &out, nil
}

// GetFunctionInput names a function and, optionally, a version.
type GetFunctionInput struct {
	FunctionName string
	Qualifier    string
}

func (in *GetFunctionInput) setFunctionName(s string) { in.FunctionName = s }
func (in *GetFunctionInput) setQualifier(s string)    { in.Qualifier = s }

// GetFunctionOutput is a function version's configuration, where its code is, its tags and its
// reserved concurrency.
type GetFunctionOutput struct {
	Configuration FunctionConfiguration `json:"Configuration"`
	Code          FunctionCodeLocation  `json:"Code"`
	Tags          map[string]string     `json:"Tags,omitempty"`
	Concurrency   *Concurrency          `json:"Concurrency,omitempty"`
}

// GetFunction: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
// Code.Location is a URL on the simulator that serves the package (AWS gives a presigned S3 URL).
func (s *Service) GetFunction(ctx context.Context, in *GetFunctionInput) (*GetFunctionOutput, *awswire.Error) {
	t, e := s.find(in.FunctionName, in.Qualifier)
	if e != nil {
		return nil, e
	}
	out := &GetFunctionOutput{
		Configuration: t.output(s),
		Code:          FunctionCodeLocation{RepositoryType: "S3", Location: s.codeLocation(ctx, t)},
		Tags:          t.fn.Tags,
	}
	if n := t.fn.ReservedConcurrency; n != nil {
		v := int32(*n)
		out.Concurrency = &Concurrency{ReservedConcurrentExecutions: &v}
	}
	return out, nil
}

// GetFunctionConfigurationInput names a function and, optionally, a version.
type GetFunctionConfigurationInput = GetFunctionInput

// GetFunctionConfiguration: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
func (s *Service) GetFunctionConfiguration(_ context.Context, in *GetFunctionConfigurationInput) (*FunctionConfiguration, *awswire.Error) {
	t, e := s.find(in.FunctionName, in.Qualifier)
	if e != nil {
		return nil, e
	}
	out := t.output(s)
	return &out, nil
}

// UpdateFunctionCodeInput is the body of UpdateFunctionCode.
type UpdateFunctionCodeInput struct {
	FunctionName string `json:"-"`
	FunctionCode
	Publish       bool     `json:"Publish,omitempty"`
	PublishTo     string   `json:"PublishTo,omitempty"`
	DryRun        bool     `json:"DryRun,omitempty"`
	RevisionID    string   `json:"RevisionId,omitempty"`
	Architectures []string `json:"Architectures,omitempty"`
}

func (in *UpdateFunctionCodeInput) setFunctionName(s string) { in.FunctionName = s }

// UpdateFunctionCode replaces $LATEST's package. The function's LastUpdateStatus is InProgress
// until the activation delay has passed; its warm environments are never reused.
// https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
func (s *Service) UpdateFunctionCode(_ context.Context, in *UpdateFunctionCodeInput) (*FunctionConfiguration, *awswire.Error) {
	ref, e := s.parseUnqualified(in.FunctionName)
	if e != nil {
		return nil, e
	}
	if e := checkArchitectures(in.Architectures); e != nil {
		return nil, e
	}
	if in.PublishTo != "" {
		return nil, invalidParameter("The lambdatrigger simulator does not support PublishTo.")
	}
	if e := codeSource(in.FunctionCode); e != nil {
		return nil, e
	}
	zip := in.ZipFile
	sha := codeSHA256(zip)
	var out FunctionConfiguration
	var rec *functionRecord
	var published *versionRecord
	var oldSHA string
	e = s.update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.latestForUpdate(tx, ref, in.RevisionID); err != nil {
			return err
		}
		oldSHA = rec.Config.CodeSHA256
		c := &rec.Config
		c.CodeSHA256, c.CodeSize = sha, int64(len(zip))
		if len(in.Architectures) == 1 {
			c.Architectures = []string{in.Architectures[0]}
		}
		s.beginUpdate(rec)
		out = rec.Config
		if in.DryRun {
			// Validated and not applied: roll the transaction back without an error.
			return abort(nil)
		}
		if err := putCode(tx, sha, zip); err != nil {
			return err
		}
		if in.Publish {
			if published, err = s.publish(tx, rec, ""); err != nil {
				return err
			}
			out = published.Config
		}
		if err := putFunction(tx, rec); err != nil {
			return err
		}
		if oldSHA != sha {
			return releaseCode(tx, oldSHA)
		}
		return nil
	})
	if in.DryRun && e == nil {
		return &out, nil
	}
	if e != nil {
		return nil, e
	}
	s.afterUpdate(rec, published)
	return &out, nil
}

// UpdateFunctionConfigurationInput is the body of UpdateFunctionConfiguration.
type UpdateFunctionConfigurationInput struct {
	FunctionName string `json:"-"`
	RevisionID   string `json:"RevisionId,omitempty"`
	configInput
}

func (in *UpdateFunctionConfigurationInput) setFunctionName(s string) { in.FunctionName = s }

// UpdateFunctionConfiguration changes $LATEST's settings; only the members given change.
// https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
func (s *Service) UpdateFunctionConfiguration(ctx context.Context, in *UpdateFunctionConfigurationInput) (*FunctionConfiguration, *awswire.Error) {
	ref, e := s.parseUnqualified(in.FunctionName)
	if e != nil {
		return nil, e
	}
	if e := in.configInput.validate(); e != nil {
		return nil, e
	}
	if in.Handler != nil && *in.Handler == "" {
		return nil, invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	if in.DeadLetterConfig != nil {
		role := s.currentRole(ref.Name)
		if in.Role != nil {
			role = *in.Role
		}
		if e := s.checkDeadLetter(ctx, role, in.DeadLetterConfig.TargetARN); e != nil {
			return nil, e
		}
	}
	var rec *functionRecord
	e = s.update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.latestForUpdate(tx, ref, in.RevisionID); err != nil {
			return err
		}
		in.configInput.apply(&rec.Config)
		if rec.Config.Runtime == "" {
			return abort(invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages."))
		}
		s.beginUpdate(rec)
		return putFunction(tx, rec)
	})
	if e != nil {
		return nil, e
	}
	s.afterUpdate(rec, nil)
	out := rec.Config
	return &out, nil
}

// latestForUpdate loads $LATEST for a change, refusing it as AWS does while the function is not
// Active or a previous update is still being applied.
func (s *Service) latestForUpdate(tx *store.Tx, ref functionRef, revisionID string) (*functionRecord, error) {
	rec, err := getFunction(tx, ref.Name)
	if err != nil {
		return nil, err
	}
	if rec == nil || !s.ours(ref) {
		return nil, abort(functionNotFound(s.refARN(ref)))
	}
	if revisionID != "" && revisionID != rec.Config.RevisionID {
		return nil, abort(preconditionFailed())
	}
	if rec.Config.State != stateActive {
		return nil, abort(notInState(rec.Config.State))
	}
	if rec.Config.LastUpdateStatus == updateInProgressStatus {
		return nil, abort(updateInProgress(rec.Config.FunctionARN))
	}
	return rec, nil
}

// beginUpdate marks $LATEST changed and its update in progress.
func (s *Service) beginUpdate(rec *functionRecord) {
	s.touch(&rec.Config)
	c := &rec.Config
	c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = updateInProgressStatus, reasonCreating, reasonCodeCreating
	rec.Transition = awswire.NewUUID()
	rec.Digest = digest(rec.Config)
}

// afterUpdate runs once an update is stored: warm environments of the old code are retired and
// the state changes are scheduled.
func (s *Service) afterUpdate(rec *functionRecord, published *versionRecord) {
	s.runtime.Invalidate(rec.Config.FunctionName)
	s.schedule(rec.Config.FunctionName, "", rec.Transition)
	if published != nil {
		s.schedule(rec.Config.FunctionName, published.Config.Version, published.Transition)
	}
}

// touch stamps a change: a new RevisionId and LastModified.
func (s *Service) touch(c *FunctionConfiguration) {
	c.RevisionID = awswire.NewUUID()
	c.LastModified = s.clock.Now().UTC().Format(lastModifiedLayout)
}

// DeleteFunctionInput names a function, or one of its versions with Qualifier.
type DeleteFunctionInput = GetFunctionInput

// DeleteFunction deletes a function with its versions, aliases, policies and reservation, or only the
// version that Qualifier names.
// https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html
func (s *Service) DeleteFunction(_ context.Context, in *DeleteFunctionInput) (*struct{}, *awswire.Error) {
	ref, e := parseFunctionName(in.FunctionName, true)
	if e != nil {
		return nil, e
	}
	if ref, e = ref.withQualifier(in.Qualifier); e != nil {
		return nil, e
	}
	if ref.Qualifier == latest {
		return nil, invalidParameter("$LATEST version cannot be deleted without deleting the function.")
	}
	if ref.Qualifier != "" && !isVersionNumber(ref.Qualifier) {
		return nil, invalidParameter("Deletion of aliases is not supported.")
	}
	e = s.update(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil || !s.ours(ref) {
			return abort(functionNotFound(s.refARN(ref)))
		}
		if ref.Qualifier != "" {
			n := versionNumber(ref.Qualifier)
			ver, err := getVersion(tx, ref.Name, n)
			if err != nil {
				return err
			}
			if ver == nil {
				return abort(functionNotFound(s.qualifiedARN(ref.Name, ref.Qualifier)))
			}
			aliases, err := listAliases(tx, ref.Name)
			if err != nil {
				return err
			}
			var using []string
			for _, a := range aliases {
				if a.FunctionVersion == ref.Qualifier {
					using = append(using, a.Name)
				}
			}
			if len(using) > 0 {
				return abort(conflict("Unable to delete version because the following aliases reference it: [%s]", strings.Join(using, ", ")))
			}
			if err := tx.Delete(versionsBucket(ref.Name), store.SeqKey(uint64(n))); err != nil {
				return err
			}
			if err := tx.Delete(bucketPolicies, policyKey(ref.Name, ref.Qualifier)); err != nil {
				return err
			}
			return releaseCode(tx, ver.Config.CodeSHA256)
		}
		versions, err := listVersions(tx, ref.Name)
		if err != nil {
			return err
		}
		shas := []string{rec.Config.CodeSHA256}
		for _, v := range versions {
			shas = append(shas, v.Config.CodeSHA256)
		}
		if err := tx.Delete(bucketFunctions, ref.Name); err != nil {
			return err
		}
		if err := tx.DeleteBucket(versionsBucket(ref.Name)); err != nil {
			return err
		}
		if err := tx.DeleteBucket(aliasesBucket(ref.Name)); err != nil {
			return err
		}
		if err := deletePolicies(tx, ref.Name); err != nil {
			return err
		}
		return releaseCode(tx, shas...)
	})
	if e != nil {
		return nil, e
	}
	if ref.Qualifier == "" {
		s.invoker.Forget(ref.Name)
	}
	s.runtime.Invalidate(ref.Name)
	s.deleted(ref.Name, ref.Qualifier)
	return nil, nil
}
