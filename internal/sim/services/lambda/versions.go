package lambda

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PublishVersionInput is the body of PublishVersion.
type PublishVersionInput struct {
	FunctionName string `json:"-"`
	CodeSHA256   string `json:"CodeSha256,omitempty"`
	Description  string `json:"Description,omitempty"`
	RevisionID   string `json:"RevisionId,omitempty"`
	PublishTo    string `json:"PublishTo,omitempty"`
}

func (in *PublishVersionInput) setFunctionName(s string) { in.FunctionName = s }

// PublishVersion makes an immutable version of $LATEST. Nothing is published when neither code
// nor configuration changed since the last version: that version is returned instead.
// https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
func (s *Service) PublishVersion(_ context.Context, in *PublishVersionInput) (*FunctionConfiguration, *awswire.Error) {
	ref, e := s.parseUnqualified(in.FunctionName)
	if e != nil {
		return nil, e
	}
	if in.PublishTo != "" {
		return nil, invalidParameter("The lambdatrigger simulator does not support PublishTo.")
	}
	var v validation
	v.maxLen("description", &in.Description, 256)
	if e := v.err(); e != nil {
		return nil, e
	}
	var ver *versionRecord
	e = s.update(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil || !s.ours(ref) {
			return abort(functionNotFound(s.refARN(ref)))
		}
		if in.RevisionID != "" && in.RevisionID != rec.Config.RevisionID {
			return abort(preconditionFailed())
		}
		if in.CodeSHA256 != "" && in.CodeSHA256 != rec.Config.CodeSHA256 {
			return abort(invalidParameter("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.",
				in.CodeSHA256, rec.Config.CodeSHA256))
		}
		if rec.Config.State != stateActive {
			return abort(notInState(rec.Config.State))
		}
		if rec.Config.LastUpdateStatus == updateInProgressStatus {
			return abort(updateInProgress(rec.Config.FunctionARN))
		}
		if ver, err = s.publish(tx, rec, in.Description); err != nil {
			return err
		}
		return putFunction(tx, rec)
	})
	if e != nil {
		return nil, e
	}
	s.schedule(ref.Name, ver.Config.Version, ver.Transition)
	out := ver.Config
	return &out, nil
}

// publish stores a version of rec's $LATEST, or returns the last version when nothing changed
// since it. The new version is Pending until the activation delay has passed, as AWS prepares
// an environment for it; rec's LastVersion is raised, and the caller stores rec.
func (s *Service) publish(tx *store.Tx, rec *functionRecord, description string) (*versionRecord, error) {
	name := rec.Config.FunctionName
	if rec.LastVersion > 0 {
		last, err := getVersion(tx, name, rec.LastVersion)
		if err != nil {
			return nil, err
		}
		if last != nil && last.Digest == rec.Digest {
			last.Transition = "" // nothing to schedule: it is the existing version
			return last, nil
		}
	}
	rec.LastVersion++
	c := rec.Config
	c.Version = strconv.Itoa(rec.LastVersion)
	c.FunctionARN = s.qualifiedARN(name, c.Version)
	if description != "" {
		c.Description = description
	}
	c.RevisionID = awswire.NewUUID()
	c.LastModified = s.clock.Now().UTC().Format(lastModifiedLayout)
	c.State, c.StateReason, c.StateReasonCode = statePending, reasonCreating, reasonCodeCreating
	c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = updateInProgressStatus, reasonCreating, reasonCodeCreating
	ver := &versionRecord{Config: c, Transition: awswire.NewUUID(), Digest: rec.Digest}
	if err := putVersion(tx, name, ver); err != nil {
		return nil, err
	}
	return ver, nil
}

// ListVersionsByFunctionInput names a function and pages its versions.
type ListVersionsByFunctionInput struct {
	FunctionName string
	Marker       string
	MaxItems     *int32
}

func bindListVersions(r *http.Request, in *ListVersionsByFunctionInput) {
	q := r.URL.Query()
	in.FunctionName, in.Marker, in.MaxItems = r.PathValue("FunctionName"), q.Get("Marker"), queryInt(q, "MaxItems")
}

// ListVersionsByFunctionOutput is a page of versions.
type ListVersionsByFunctionOutput struct {
	Versions   []FunctionConfiguration `json:"Versions"`
	NextMarker string                  `json:"NextMarker,omitempty"`
}

// ListVersionsByFunction lists $LATEST and then the published versions, oldest first.
// https://docs.aws.amazon.com/lambda/latest/api/API_ListVersionsByFunction.html
func (s *Service) ListVersionsByFunction(_ context.Context, in *ListVersionsByFunctionInput) (*ListVersionsByFunctionOutput, *awswire.Error) {
	ref, e := s.parseUnqualified(in.FunctionName)
	if e != nil {
		return nil, e
	}
	var v validation
	v.minInt("maxItems", in.MaxItems, 1)
	v.maxInt("maxItems", in.MaxItems, 10000)
	if e := v.err(); e != nil {
		return nil, e
	}
	limit := 50
	if in.MaxItems != nil {
		limit = int(*in.MaxItems)
	}
	after := -1 // index into $LATEST (0) and the versions (n)
	if in.Marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.Marker)
		if err != nil {
			return nil, invalidParameter("Invalid marker: %s", in.Marker)
		}
		if string(b) == latest {
			after = 0
		} else if after, err = strconv.Atoi(string(b)); err != nil {
			return nil, invalidParameter("Invalid marker: %s", in.Marker)
		}
	}
	out := &ListVersionsByFunctionOutput{Versions: []FunctionConfiguration{}}
	e = s.view(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil || !s.ours(ref) {
			return abort(functionNotFound(s.refARN(ref)))
		}
		versions, err := listVersions(tx, ref.Name)
		if err != nil {
			return err
		}
		all := append([]FunctionConfiguration{rec.Config}, make([]FunctionConfiguration, 0, len(versions))...)
		for _, ver := range versions {
			all = append(all, ver.Config)
		}
		for _, c := range all {
			pos := 0
			if c.Version != latest {
				pos = versionNumber(c.Version)
			}
			if pos <= after {
				continue
			}
			if len(out.Versions) == limit {
				last := out.Versions[len(out.Versions)-1].Version
				out.NextMarker = base64.RawURLEncoding.EncodeToString([]byte(last))
				break
			}
			out.Versions = append(out.Versions, c)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}
