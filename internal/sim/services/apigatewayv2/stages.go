package apigatewayv2

import (
	"context"
	"net/http"
	"regexp"
	"sort"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

var stageNamePattern = regexp.MustCompile(`^(\$default|[a-zA-Z0-9_-]{1,128})$`)

// CreateStageInput is https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html#CreateStage.
type CreateStageInput struct {
	APIID          string            `json:"-"`
	StageName      string            `json:"stageName"`
	AutoDeploy     bool              `json:"autoDeploy"`
	DeploymentID   string            `json:"deploymentId"`
	Description    string            `json:"description"`
	StageVariables map[string]string `json:"stageVariables"`
	Tags           map[string]string `json:"tags"`
}

func (in *CreateStageInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// CreateStage creates a stage. With AutoDeploy, every change to the API is deployed to it at once
// (the simulator serves such a stage from the API as it is, and records a deployment per change).
func (s *Service) CreateStage(_ context.Context, in *CreateStageInput) (*Stage, *awswire.Error) {
	if !stageNamePattern.MatchString(in.StageName) {
		return nil, badRequest("Stage name only allows a-zA-Z0-9_- or $default")
	}
	var out Stage
	e := s.update(in.APIID, func(doc *apiDoc) *awswire.Error {
		if doc.Stages[in.StageName] != nil {
			return conflict("Stage %s already exists", in.StageName)
		}
		if in.DeploymentID != "" && doc.Deployments[in.DeploymentID] == nil {
			return errDeploymentNotFound(in.DeploymentID)
		}
		now := s.now()
		out = Stage{StageName: in.StageName, AutoDeploy: in.AutoDeploy, DeploymentID: in.DeploymentID,
			Description: in.Description, StageVariables: in.StageVariables, CreatedDate: now, LastUpdatedDate: now,
			DefaultRouteSettings: &RouteSettings{}, RouteSettings: map[string]any{}, Tags: in.Tags}
		if out.Tags == nil {
			out.Tags = map[string]string{}
		}
		doc.Stages[in.StageName] = &out
		if in.AutoDeploy {
			s.autoDeploy(doc, now)
			out = *doc.Stages[in.StageName]
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// autoDeploy records a deployment of the API as it is now and points every AutoDeploy stage at it.
func (s *Service) autoDeploy(doc *apiDoc, now Timestamp) {
	var stages []*Stage
	for _, st := range doc.Stages {
		if st.AutoDeploy {
			stages = append(stages, st)
		}
	}
	if len(stages) == 0 {
		return
	}
	d := Deployment{DeploymentID: newID(6), DeploymentStatus: "DEPLOYED", AutoDeployed: true, CreatedDate: now,
		Description: "Automatic deployment triggered by changes to the Api configuration"}
	doc.Deployments[d.DeploymentID] = &deploymentDoc{Deployment: d, Integrations: clone(doc.Integrations), Routes: clone(doc.Routes)}
	for _, st := range stages {
		st.DeploymentID = d.DeploymentID
		st.LastUpdatedDate = now
	}
}

// GetStageInput names one stage.
type GetStageInput struct{ APIID, StageName string }

func (in *GetStageInput) bind(r *http.Request) {
	in.APIID, in.StageName = r.PathValue("apiId"), r.PathValue("stageName")
}

// GetStage describes one stage.
func (s *Service) GetStage(_ context.Context, in *GetStageInput) (*Stage, *awswire.Error) {
	var out Stage
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error {
		st := doc.Stages[in.StageName]
		if st == nil {
			return errStageNotFound(in.StageName)
		}
		out = *st
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetStagesInput names an API.
type GetStagesInput struct{ APIID string }

func (in *GetStagesInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// GetStagesOutput lists stages.
type GetStagesOutput struct {
	Items []Stage `json:"items"`
}

// GetStages lists an API's stages.
func (s *Service) GetStages(_ context.Context, in *GetStagesInput) (*GetStagesOutput, *awswire.Error) {
	out := &GetStagesOutput{Items: []Stage{}}
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error {
		for _, k := range sortedKeys(doc.Stages) {
			out.Items = append(out.Items, *doc.Stages[k])
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DeleteStageInput names one stage.
type DeleteStageInput struct{ APIID, StageName string }

func (in *DeleteStageInput) bind(r *http.Request) {
	in.APIID, in.StageName = r.PathValue("apiId"), r.PathValue("stageName")
}

// DeleteStage deletes a stage.
func (s *Service) DeleteStage(_ context.Context, in *DeleteStageInput) (*Empty, *awswire.Error) {
	e := s.update(in.APIID, func(doc *apiDoc) *awswire.Error {
		if doc.Stages[in.StageName] == nil {
			return errStageNotFound(in.StageName)
		}
		delete(doc.Stages, in.StageName)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &Empty{}, nil
}

// CreateDeploymentInput is
// https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-deployments.html#CreateDeployment.
type CreateDeploymentInput struct {
	APIID       string `json:"-"`
	StageName   string `json:"stageName"`
	Description string `json:"description"`
}

func (in *CreateDeploymentInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// CreateDeployment snapshots the API; with StageName the stage serves the snapshot.
func (s *Service) CreateDeployment(_ context.Context, in *CreateDeploymentInput) (*Deployment, *awswire.Error) {
	var out Deployment
	e := s.update(in.APIID, func(doc *apiDoc) *awswire.Error {
		var st *Stage
		if in.StageName != "" {
			if st = doc.Stages[in.StageName]; st == nil {
				return errStageNotFound(in.StageName)
			}
		}
		if len(doc.Routes) == 0 {
			return badRequest("Unable to deploy API because no routes exist in this API")
		}
		now := s.now()
		out = Deployment{DeploymentID: newID(6), DeploymentStatus: "DEPLOYED", Description: in.Description, CreatedDate: now}
		doc.Deployments[out.DeploymentID] = &deploymentDoc{Deployment: out, Integrations: clone(doc.Integrations), Routes: clone(doc.Routes)}
		if st != nil {
			st.DeploymentID = out.DeploymentID
			st.LastUpdatedDate = now
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// GetDeploymentsInput names an API.
type GetDeploymentsInput struct{ APIID string }

func (in *GetDeploymentsInput) bind(r *http.Request) { in.APIID = r.PathValue("apiId") }

// GetDeploymentsOutput lists deployments.
type GetDeploymentsOutput struct {
	Items []Deployment `json:"items"`
}

// GetDeployments lists an API's deployments, oldest first.
func (s *Service) GetDeployments(_ context.Context, in *GetDeploymentsInput) (*GetDeploymentsOutput, *awswire.Error) {
	out := &GetDeploymentsOutput{Items: []Deployment{}}
	e := s.view(in.APIID, func(doc *apiDoc) *awswire.Error {
		for _, d := range doc.Deployments {
			out.Items = append(out.Items, d.Deployment)
		}
		sort.Slice(out.Items, func(i, j int) bool {
			return timeOf(out.Items[i].CreatedDate).Before(timeOf(out.Items[j].CreatedDate))
		})
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}
