package apigateway

import (
	"context"
	"net/http"
	"regexp"
	"sort"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// stageNamePattern: stage names are alphanumerics, hyphens and underscores, up to 128 characters.
var stageNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)

// CreateDeploymentInput is https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html.
type CreateDeploymentInput struct {
	RestAPIID        string            `json:"-"`
	StageName        string            `json:"stageName"`
	StageDescription string            `json:"stageDescription"`
	Description      string            `json:"description"`
	Variables        map[string]string `json:"variables"`
	TracingEnabled   bool              `json:"tracingEnabled"`
}

func (in *CreateDeploymentInput) bind(r *http.Request) { in.RestAPIID = r.PathValue("restApiId") }

// CreateDeployment snapshots the resource tree; with stageName it also creates the stage, or
// points the existing stage at the new deployment.
func (s *Service) CreateDeployment(_ context.Context, in *CreateDeploymentInput) (*Deployment, *awswire.Error) {
	if in.StageName != "" && !stageNamePattern.MatchString(in.StageName) {
		return nil, badRequest("Stage name only allows a-zA-Z0-9_")
	}
	var out Deployment
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		methods := 0
		for _, r := range doc.Resources {
			for _, m := range r.ResourceMethods {
				methods++
				if m.MethodIntegration == nil {
					return badRequest("No integration defined for method")
				}
			}
		}
		if methods == 0 {
			return badRequest("The REST API doesn't contain any methods")
		}
		now := s.now()
		out = Deployment{ID: newID(6), Description: in.Description, CreatedDate: now}
		doc.Deployments[out.ID] = &deploymentDoc{Deployment: out, Resources: clone(doc.Resources)}
		if in.StageName == "" {
			return nil
		}
		if st := doc.Stages[in.StageName]; st != nil {
			st.DeploymentID = out.ID
			st.LastUpdatedDate = now
			if in.Variables != nil {
				st.Variables = in.Variables
			}
			return nil
		}
		doc.Stages[in.StageName] = &Stage{StageName: in.StageName, DeploymentID: out.ID, Description: in.StageDescription,
			Variables: in.Variables, TracingEnabled: in.TracingEnabled, CacheClusterStatus: "NOT_AVAILABLE",
			CreatedDate: now, LastUpdatedDate: now}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetDeploymentsInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetDeployments.html.
type GetDeploymentsInput struct{ RestAPIID string }

func (in *GetDeploymentsInput) bind(r *http.Request) { in.RestAPIID = r.PathValue("restApiId") }

// GetDeploymentsOutput lists deployments.
type GetDeploymentsOutput struct {
	Items []Deployment `json:"item"`
}

// GetDeployments lists a REST API's deployments, oldest first.
func (s *Service) GetDeployments(_ context.Context, in *GetDeploymentsInput) (*GetDeploymentsOutput, *awswire.Error) {
	out := &GetDeploymentsOutput{Items: []Deployment{}}
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		for _, d := range doc.Deployments {
			out.Items = append(out.Items, d.Deployment)
		}
		sort.Slice(out.Items, func(i, j int) bool { return out.Items[i].CreatedDate < out.Items[j].CreatedDate })
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// GetDeploymentInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetDeployment.html.
type GetDeploymentInput struct{ RestAPIID, DeploymentID string }

func (in *GetDeploymentInput) bind(r *http.Request) {
	in.RestAPIID, in.DeploymentID = r.PathValue("restApiId"), r.PathValue("deploymentId")
}

// GetDeployment describes one deployment.
func (s *Service) GetDeployment(_ context.Context, in *GetDeploymentInput) (*Deployment, *awswire.Error) {
	var out Deployment
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		d := doc.Deployments[in.DeploymentID]
		if d == nil {
			return errDeploymentNotFound()
		}
		out = d.Deployment
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// CreateStageInput is https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html.
type CreateStageInput struct {
	RestAPIID      string            `json:"-"`
	StageName      string            `json:"stageName"`
	DeploymentID   string            `json:"deploymentId"`
	Description    string            `json:"description"`
	Variables      map[string]string `json:"variables"`
	TracingEnabled bool              `json:"tracingEnabled"`
	Tags           map[string]string `json:"tags"`
}

func (in *CreateStageInput) bind(r *http.Request) { in.RestAPIID = r.PathValue("restApiId") }

// CreateStage names a deployment.
func (s *Service) CreateStage(_ context.Context, in *CreateStageInput) (*Stage, *awswire.Error) {
	if !stageNamePattern.MatchString(in.StageName) {
		return nil, badRequest("Stage name only allows a-zA-Z0-9_")
	}
	if in.DeploymentID == "" {
		return nil, badRequest("Deployment id must not be blank")
	}
	var out Stage
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		if doc.Deployments[in.DeploymentID] == nil {
			return errDeploymentNotFound()
		}
		if doc.Stages[in.StageName] != nil {
			return conflict("Stage already exists")
		}
		now := s.now()
		out = Stage{StageName: in.StageName, DeploymentID: in.DeploymentID, Description: in.Description,
			Variables: in.Variables, TracingEnabled: in.TracingEnabled, CacheClusterStatus: "NOT_AVAILABLE",
			CreatedDate: now, LastUpdatedDate: now, Tags: in.Tags}
		doc.Stages[in.StageName] = &out
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetStageInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetStage.html.
type GetStageInput struct{ RestAPIID, StageName string }

func (in *GetStageInput) bind(r *http.Request) {
	in.RestAPIID, in.StageName = r.PathValue("restApiId"), r.PathValue("stageName")
}

// GetStage describes one stage.
func (s *Service) GetStage(_ context.Context, in *GetStageInput) (*Stage, *awswire.Error) {
	var out Stage
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		st := doc.Stages[in.StageName]
		if st == nil {
			return errStageNotFound()
		}
		out = *st
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetStagesInput is https://docs.aws.amazon.com/apigateway/latest/api/API_GetStages.html.
type GetStagesInput struct{ RestAPIID, DeploymentID string }

func (in *GetStagesInput) bind(r *http.Request) {
	in.RestAPIID, in.DeploymentID = r.PathValue("restApiId"), r.URL.Query().Get("deploymentId")
}

// GetStagesOutput lists stages (not paginated in AWS's model).
type GetStagesOutput struct {
	Items []Stage `json:"item"`
}

// GetStages lists a REST API's stages, optionally those of one deployment.
func (s *Service) GetStages(_ context.Context, in *GetStagesInput) (*GetStagesOutput, *awswire.Error) {
	out := &GetStagesOutput{Items: []Stage{}}
	e := s.view(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		for _, st := range doc.Stages {
			if in.DeploymentID == "" || st.DeploymentID == in.DeploymentID {
				out.Items = append(out.Items, *st)
			}
		}
		sort.Slice(out.Items, func(i, j int) bool { return out.Items[i].StageName < out.Items[j].StageName })
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DeleteStageInput is https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteStage.html.
type DeleteStageInput struct{ RestAPIID, StageName string }

func (in *DeleteStageInput) bind(r *http.Request) {
	in.RestAPIID, in.StageName = r.PathValue("restApiId"), r.PathValue("stageName")
}

// DeleteStage deletes a stage; its URL stops answering.
func (s *Service) DeleteStage(_ context.Context, in *DeleteStageInput) (*Empty, *awswire.Error) {
	e := s.update(in.RestAPIID, func(doc *restAPIDoc) *awswire.Error {
		if doc.Stages[in.StageName] == nil {
			return errStageNotFound()
		}
		delete(doc.Stages, in.StageName)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}
