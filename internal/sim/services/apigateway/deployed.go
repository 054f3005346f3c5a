package apigateway

import (
	"errors"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// DeployedStage is what a stage serves: the snapshot of the deployment it points at, with the
// API's settings the front door needs.
type DeployedStage struct {
	APIID            string
	StageName        string
	Variables        map[string]string
	BinaryMediaTypes []string
	// Resources is the deployment's resource tree, by resource id.
	Resources map[string]*Resource
}

// DeployedStage returns the deployed stage of a REST API, or ok=false when the API or the stage
// does not exist.
func (s *Service) DeployedStage(apiID, stageName string) (stage *DeployedStage, ok bool, err error) {
	err = s.store.View(func(tx *store.Tx) error {
		var doc restAPIDoc
		if err := tx.Get(bucket, apiID, &doc); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		}
		st := doc.Stages[stageName]
		if st == nil {
			return nil
		}
		dep := doc.Deployments[st.DeploymentID]
		if dep == nil {
			return nil
		}
		stage = &DeployedStage{APIID: apiID, StageName: stageName, Variables: st.Variables,
			BinaryMediaTypes: doc.API.BinaryMediaTypes, Resources: dep.Resources}
		ok = true
		return nil
	})
	return stage, ok, err
}

// HasAPI reports whether a REST API with the id exists.
func (s *Service) HasAPI(apiID string) bool {
	found := false
	s.store.View(func(tx *store.Tx) error {
		found = tx.Has(bucket, apiID)
		return nil
	})
	return found
}
