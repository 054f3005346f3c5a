package lambda

import (
	"context"
	"net/http"
	"net/url"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Deployment packages are stored once per CodeSha256 (bucketCode) and served back at the URL that
// GetFunction gives as Code.Location, as AWS serves them from a presigned S3 URL.

// codeLocation is the URL on this simulator that serves the target's package.
func (s *Service) codeLocation(ctx context.Context, t *target) string {
	base := "http://localhost"
	if r, ok := ctx.Value(requestKey{}).(*http.Request); ok && r.Host != "" {
		base = "http://" + r.Host
	}
	q := url.Values{"CodeSha256": {t.config().CodeSHA256}}
	return base + "/2015-03-31/functions/" + url.PathEscape(t.fn.Config.FunctionName) + "/code.zip?" + q.Encode()
}

// requestKey carries the HTTP request into operations that build URLs on the simulator.
type requestKey struct{}

// serveCode serves a package by its CodeSha256: the simulator's Code.Location.
func (s *Service) serveCode(w http.ResponseWriter, r *http.Request) {
	ref, e := parseFunctionName(r.PathValue("FunctionName"), false)
	if e != nil {
		awswire.WriteRestJSONError(w, e)
		return
	}
	sha := r.URL.Query().Get("CodeSha256")
	var zip []byte
	e = s.view(func(tx *store.Tx) error {
		rec, err := getFunction(tx, ref.Name)
		if err != nil {
			return err
		}
		if rec == nil {
			return abort(functionNotFound(s.functionARN(ref.Name)))
		}
		uses := rec.Config.CodeSHA256 == sha
		if !uses {
			versions, err := listVersions(tx, ref.Name)
			if err != nil {
				return err
			}
			for _, v := range versions {
				uses = uses || v.Config.CodeSHA256 == sha
			}
		}
		if !uses {
			return abort(notFound("The function %s has no package with CodeSha256 %s.", ref.Name, sha))
		}
		zip, err = tx.GetRaw(bucketCode, sha)
		return err
	})
	if e != nil {
		awswire.WriteRestJSONError(w, e)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+ref.Name+`.zip"`)
	writeRaw(w, http.StatusOK, "application/zip", zip)
}

// loadCode returns the package stored under sha, for the execution environments.
func (s *Service) loadCode(sha string) ([]byte, error) {
	var zip []byte
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		zip, err = tx.GetRaw(bucketCode, sha)
		return err
	})
	return zip, err
}
