package apigatewayv2

import (
	"errors"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// DeployedStage is what a stage of an HTTP API serves.
type DeployedStage struct {
	APIID     string
	StageName string
	Variables map[string]string
	// Routes and Integrations are the deployed ones, by id.
	Routes       map[string]*Route
	Integrations map[string]*Integration
}

// DeployedStage returns the stage of an HTTP API as it serves requests, or ok=false when the API,
// the stage or its deployment does not exist.
func (s *Service) DeployedStage(apiID, stageName string) (stage *DeployedStage, ok bool, err error) {
	err = s.store.View(func(tx *store.Tx) error {
		var doc apiDoc
		if err := tx.Get(bucket, apiID, &doc); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		}
		st := doc.Stages[stageName]
		if st == nil || st.DeploymentID == "" {
			return nil
		}
		dep := doc.Deployments[st.DeploymentID]
		if dep == nil {
			return nil
		}
		stage = &DeployedStage{APIID: apiID, StageName: stageName, Variables: st.StageVariables,
			Routes: dep.Routes, Integrations: dep.Integrations}
		ok = true
		return nil
	})
	return stage, ok, err
}

// HasAPI reports whether an HTTP API with the id exists.
func (s *Service) HasAPI(apiID string) bool {
	found := false
	s.store.View(func(tx *store.Tx) error {
		found = tx.Has(bucket, apiID)
		return nil
	})
	return found
}

// HasStage reports whether the HTTP API has a stage of that name.
func (s *Service) HasStage(apiID, stageName string) bool {
	found := false
	s.store.View(func(tx *store.Tx) error {
		var doc apiDoc
		if tx.Get(bucket, apiID, &doc) == nil {
			found = doc.Stages[stageName] != nil
		}
		return nil
	})
	return found
}

func timeOf(t Timestamp) time.Time { return time.Time(t) }
