package esm

import (
	"encoding/json"
	"errors"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// abort carries an AWS error out of a store transaction.
type abort struct{ e *awswire.Error }

func (a abort) Error() string { return a.e.Message }

func abortWith(e *awswire.Error) error { return abort{e} }

// asAWS turns a transaction's error into the API's answer.
func asAWS(err error) *awswire.Error {
	var a abort
	switch {
	case err == nil:
		return nil
	case errors.As(err, &a):
		return a.e
	case errors.Is(err, store.ErrNotFound):
		return notFound()
	default:
		return internalError(err)
	}
}

func unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
