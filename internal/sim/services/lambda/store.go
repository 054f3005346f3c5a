package lambda

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Where the Lambda API keeps its state. Everything a client was told is in one of these buckets
// before the answer is sent, so a simulator restarted on the same data directory has it all.
const (
	bucketFunctions = "lambda/functions" // name -> functionRecord ($LATEST and what belongs to the function)
	bucketPolicies  = "lambda/policies"  // "<name>:<qualifier>" -> policyRecord ("" qualifier: the function's own)
	bucketCode      = "lambda/code"      // CodeSha256 -> the .zip bytes
	versionsPrefix  = "lambda/versions/" // + name: store.SeqKey(version) -> versionRecord
	aliasesPrefix   = "lambda/aliases/"  // + name: alias name -> AliasConfiguration
)

// functionRecord is a function: its $LATEST configuration and what belongs to the function as a whole.
type functionRecord struct {
	Config FunctionConfiguration `json:"config"`
	// Transition is the token of the state change being applied (Pending -> Active, InProgress ->
	// Successful); "" when none is.
	Transition string `json:"transition,omitempty"`
	// Digest fingerprints the code and configuration, so PublishVersion can tell whether anything
	// changed since the last version.
	Digest              string            `json:"digest"`
	Tags                map[string]string `json:"tags,omitempty"`
	ReservedConcurrency *int              `json:"reservedConcurrency,omitempty"`
	// LastVersion is the highest version ever published; numbers are never reused.
	LastVersion int `json:"lastVersion,omitempty"`
}

// versionRecord is a published version: an immutable copy of $LATEST.
type versionRecord struct {
	Config     FunctionConfiguration `json:"config"`
	Transition string                `json:"transition,omitempty"`
	Digest     string                `json:"digest"`
}

// policyRecord is the resource-based policy of a function or of one of its versions or aliases.
type policyRecord struct {
	Statements []PolicyStatement `json:"statements"`
}

func versionsBucket(name string) string { return versionsPrefix + name }

func policyKey(name, qualifier string) string {
	if qualifier == latest {
		qualifier = ""
	}
	return name + ":" + qualifier
}

// getFunction loads a function, or nil when there is none.
func getFunction(tx *store.Tx, name string) (*functionRecord, error) {
	var rec functionRecord
	if err := tx.Get(bucketFunctions, name, &rec); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &rec, nil
}

func putFunction(tx *store.Tx, rec *functionRecord) error {
	return tx.Put(bucketFunctions, rec.Config.FunctionName, rec)
}

// getVersion loads a published version, or nil when there is none.
func getVersion(tx *store.Tx, name string, n int) (*versionRecord, error) {
	var rec versionRecord
	if err := tx.Get(versionsBucket(name), store.SeqKey(uint64(n)), &rec); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &rec, nil
}

func putVersion(tx *store.Tx, name string, rec *versionRecord) error {
	return tx.Put(versionsBucket(name), store.SeqKey(uint64(versionNumber(rec.Config.Version))), rec)
}

// listVersions returns a function's published versions, oldest first.
func listVersions(tx *store.Tx, name string) ([]versionRecord, error) {
	var out []versionRecord
	err := tx.ForEach(versionsBucket(name), "", func(_ string, v []byte) error {
		var rec versionRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}

func getPolicy(tx *store.Tx, name, qualifier string) (*policyRecord, error) {
	var rec policyRecord
	if err := tx.Get(bucketPolicies, policyKey(name, qualifier), &rec); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &rec, nil
}

func putPolicy(tx *store.Tx, name, qualifier string, rec *policyRecord) error {
	if len(rec.Statements) == 0 {
		return tx.Delete(bucketPolicies, policyKey(name, qualifier))
	}
	return tx.Put(bucketPolicies, policyKey(name, qualifier), rec)
}

// deletePolicies removes every policy of a function.
func deletePolicies(tx *store.Tx, name string) error {
	var keys []string
	if err := tx.ForEach(bucketPolicies, name+":", func(k string, _ []byte) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(bucketPolicies, k); err != nil {
			return err
		}
	}
	return nil
}

// putCode stores a deployment package under its CodeSha256; identical packages are stored once.
func putCode(tx *store.Tx, sha string, zip []byte) error {
	if tx.Has(bucketCode, sha) {
		return nil
	}
	return tx.PutRaw(bucketCode, sha, zip)
}

// releaseCode deletes the packages in shas that no function or version uses any more.
func releaseCode(tx *store.Tx, shas ...string) error {
	if len(shas) == 0 {
		return nil
	}
	unused := map[string]bool{}
	for _, sha := range shas {
		unused[sha] = true
	}
	var names []string
	err := tx.ForEach(bucketFunctions, "", func(k string, v []byte) error {
		var rec functionRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		delete(unused, rec.Config.CodeSHA256)
		names = append(names, k)
		return nil
	})
	if err != nil {
		return err
	}
	for _, name := range names {
		if len(unused) == 0 {
			break
		}
		versions, err := listVersions(tx, name)
		if err != nil {
			return err
		}
		for _, v := range versions {
			delete(unused, v.Config.CodeSHA256)
		}
	}
	for sha := range unused {
		if err := tx.Delete(bucketCode, sha); err != nil {
			return err
		}
	}
	return nil
}

// digest fingerprints what a version is made of: the code and every setting, without the fields
// that say when or as what it was saved.
func digest(c FunctionConfiguration) string {
	c.FunctionARN, c.Version, c.RevisionID, c.LastModified = "", "", "", ""
	c.State, c.StateReason, c.StateReasonCode = "", "", ""
	c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = "", "", ""
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// txError carries an API error out of a store transaction, rolling it back.
type txError struct{ e *awswire.Error }

func (t txError) Error() string { return t.e.Error() }

func abort(e *awswire.Error) error { return txError{e} }

// update runs fn in a read-write transaction and maps what it returns to the wire.
func (s *Service) update(fn func(tx *store.Tx) error) *awswire.Error {
	return asAPIError(s.store.Update(fn))
}

// view runs fn in a read-only transaction and maps what it returns to the wire.
func (s *Service) view(fn func(tx *store.Tx) error) *awswire.Error {
	return asAPIError(s.store.View(fn))
}

func asAPIError(err error) *awswire.Error {
	if err == nil {
		return nil
	}
	var te txError
	if errors.As(err, &te) {
		return te.e
	}
	return internalError(err)
}
