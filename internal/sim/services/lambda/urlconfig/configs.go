package urlconfig

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Auth types and invoke modes (API_CreateFunctionUrlConfig).
const (
	AuthNone         = "NONE"
	AuthIAM          = "AWS_IAM"
	ModeBuffered     = "BUFFERED"
	ModeStream       = "RESPONSE_STREAM"
	maxCorsMaxAge    = 86400
	maxListItems     = 50
	timeLayout       = "2006-01-02T15:04:05.000000Z"
	qualifierPattern = `((?!^\d+$)^[0-9a-zA-Z-_]+$)`
)

var (
	urlIDRE     = regexp.MustCompile(`^[a-z0-9]{32}$`)
	qualifierRE = regexp.MustCompile(`^[0-9a-zA-Z-_]+$`)
	digitsRE    = regexp.MustCompile(`^\d+$`)
)

// Cors is a function URL's CORS configuration.
type Cors struct {
	AllowCredentials *bool    `json:"AllowCredentials,omitempty"`
	AllowHeaders     []string `json:"AllowHeaders,omitempty"`
	AllowMethods     []string `json:"AllowMethods,omitempty"`
	AllowOrigins     []string `json:"AllowOrigins,omitempty"`
	ExposeHeaders    []string `json:"ExposeHeaders,omitempty"`
	MaxAge           *int     `json:"MaxAge,omitempty"`
}

// URL is a stored function URL configuration; Lookup returns it to the front door.
type URL struct {
	ID           string    `json:"id"`
	FunctionName string    `json:"functionName"`
	Qualifier    string    `json:"qualifier,omitempty"`
	FunctionARN  string    `json:"functionArn"` // qualified when Qualifier is set
	AuthType     string    `json:"authType"`
	Cors         *Cors     `json:"cors,omitempty"`
	InvokeMode   string    `json:"invokeMode"`
	Created      time.Time `json:"created"`
	Modified     time.Time `json:"modified"`
}

func configKey(name, qualifier string) string { return name + "/" + qualifier }

// FunctionURLConfig is a configuration as the API answers it.
type FunctionURLConfig struct {
	AuthType         string `json:"AuthType"`
	Cors             *Cors  `json:"Cors,omitempty"`
	CreationTime     string `json:"CreationTime"`
	FunctionArn      string `json:"FunctionArn"`
	FunctionUrl      string `json:"FunctionUrl"`
	InvokeMode       string `json:"InvokeMode"`
	LastModifiedTime string `json:"LastModifiedTime,omitempty"`
}

func (s *Service) output(u *URL, withModified bool) *FunctionURLConfig {
	out := &FunctionURLConfig{AuthType: u.AuthType, Cors: u.Cors, CreationTime: u.Created.UTC().Format(timeLayout),
		FunctionArn: u.FunctionARN, FunctionUrl: s.functionURL(u.ID), InvokeMode: u.InvokeMode}
	if withModified {
		out.LastModifiedTime = u.Modified.UTC().Format(timeLayout)
	}
	return out
}

// configInput is the body of Create and Update.
type configInput struct {
	AuthType   string `json:"AuthType"`
	Cors       *Cors  `json:"Cors"`
	InvokeMode string `json:"InvokeMode"`
}

func decodeInput(body []byte) (*configInput, *awswire.Error) {
	in := &configInput{}
	if len(body) > 0 {
		if err := awswire.DecodeJSON(body, in); err != nil {
			return nil, errInvalidParameter("Could not parse request body into json: %s", err.Error())
		}
	}
	if in.AuthType != "" && in.AuthType != AuthNone && in.AuthType != AuthIAM {
		return nil, errValidation("1 validation error detected: Value '%s' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]", in.AuthType)
	}
	if in.InvokeMode != "" && in.InvokeMode != ModeBuffered && in.InvokeMode != ModeStream {
		return nil, errValidation("1 validation error detected: Value '%s' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]", in.InvokeMode)
	}
	if c := in.Cors; c != nil {
		if c.MaxAge != nil && (*c.MaxAge < 0 || *c.MaxAge > maxCorsMaxAge) {
			return nil, errValidation("1 validation error detected: Value '%d' at 'cors.maxAge' failed to satisfy constraint: Member must have value less than or equal to %d", *c.MaxAge, maxCorsMaxAge)
		}
		for _, m := range c.AllowMethods {
			if len(m) > 6 {
				return nil, errValidation("1 validation error detected: Value '[%s]' at 'cors.allowMethods' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 6]", strings.Join(c.AllowMethods, ", "))
			}
		}
		if len(c.AllowOrigins) > 100 || len(c.AllowHeaders) > 100 || len(c.ExposeHeaders) > 100 {
			return nil, errValidation("1 validation error detected: a CORS list has more than 100 members")
		}
	}
	return in, nil
}

// target resolves the function (and alias) a request names, through the Lambda API.
func (s *Service) target(ctx context.Context, in *request) (name, qualifier, arn string, e *awswire.Error) {
	if in.Qualifier != "" && (!qualifierRE.MatchString(in.Qualifier) || digitsRE.MatchString(in.Qualifier)) {
		return "", "", "", errValidation("1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", in.Qualifier, qualifierPattern)
	}
	out, e := s.cfg.Lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: in.FunctionName, Qualifier: in.Qualifier})
	if e != nil {
		return "", "", "", e
	}
	c := out.Configuration
	qualifier = in.Qualifier
	if qualifier == "" {
		// A qualified name (my-function:alias) names the alias too.
		if parts := strings.Split(in.FunctionName, ":"); len(parts) == 2 || len(parts) == 4 || len(parts) == 8 {
			qualifier = parts[len(parts)-1]
		}
	}
	if qualifier == "$LATEST" {
		qualifier = ""
	}
	arn = c.FunctionARN
	if i := strings.Index(arn, ":function:"); i >= 0 {
		if parts := strings.Split(arn[i+len(":function:"):], ":"); len(parts) > 1 {
			arn = arn[:i+len(":function:")] + parts[0]
		}
	}
	if qualifier != "" {
		arn += ":" + qualifier
	}
	return c.FunctionName, qualifier, arn, nil
}

func (s *Service) getURL(tx *store.Tx, name, qualifier string) (*URL, error) {
	var u URL
	if err := tx.Get(bucketConfigs, configKey(name, qualifier), &u); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &u, nil
}

func txError(err error) *awswire.Error {
	if err == nil {
		return nil
	}
	var e *awswire.Error
	if errors.As(err, &e) {
		return e
	}
	return awswire.InternalError(err)
}

// CreateFunctionUrlConfig: https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html
func (s *Service) CreateFunctionUrlConfig(ctx context.Context, in *request) (*FunctionURLConfig, *awswire.Error) {
	body, e := decodeInput(in.Body)
	if e != nil {
		return nil, e
	}
	if body.AuthType == "" {
		return nil, errValidation("1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null")
	}
	name, qualifier, arn, e := s.target(ctx, in)
	if e != nil {
		return nil, e
	}
	now := s.cfg.Clock.Now()
	u := &URL{ID: newURLID(), FunctionName: name, Qualifier: qualifier, FunctionARN: arn, AuthType: body.AuthType,
		Cors: body.Cors, InvokeMode: body.InvokeMode, Created: now, Modified: now}
	if u.InvokeMode == "" {
		u.InvokeMode = ModeBuffered
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		existing, err := s.getURL(tx, name, qualifier)
		if err != nil {
			return err
		}
		if existing != nil {
			return errConflict("Failed to create function url config for [functionArn = %s]. Error message:  FunctionUrlConfig exists for this Lambda function", arn)
		}
		if err := tx.Put(bucketConfigs, configKey(name, qualifier), u); err != nil {
			return err
		}
		return tx.PutRaw(bucketIDs, u.ID, []byte(configKey(name, qualifier)))
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	return s.output(u, false), nil
}

func (s *Service) find(ctx context.Context, in *request) (*URL, *awswire.Error) {
	name, qualifier, _, e := s.target(ctx, in)
	if e != nil {
		return nil, e
	}
	var u *URL
	err := s.cfg.Store.View(func(tx *store.Tx) (err error) {
		u, err = s.getURL(tx, name, qualifier)
		return err
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	if u == nil {
		return nil, errNotFound("The resource you requested does not exist.")
	}
	return u, nil
}

// GetFunctionUrlConfig: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionUrlConfig.html
func (s *Service) GetFunctionUrlConfig(ctx context.Context, in *request) (*FunctionURLConfig, *awswire.Error) {
	u, e := s.find(ctx, in)
	if e != nil {
		return nil, e
	}
	return s.output(u, true), nil
}

// UpdateFunctionUrlConfig changes the members given; Cors, when given, replaces the whole CORS
// configuration. https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionUrlConfig.html
func (s *Service) UpdateFunctionUrlConfig(ctx context.Context, in *request) (*FunctionURLConfig, *awswire.Error) {
	body, e := decodeInput(in.Body)
	if e != nil {
		return nil, e
	}
	name, qualifier, _, e := s.target(ctx, in)
	if e != nil {
		return nil, e
	}
	var u *URL
	err := s.cfg.Store.Update(func(tx *store.Tx) (err error) {
		if u, err = s.getURL(tx, name, qualifier); err != nil {
			return err
		}
		if u == nil {
			return errNotFound("The resource you requested does not exist.")
		}
		if body.AuthType != "" {
			u.AuthType = body.AuthType
		}
		if body.InvokeMode != "" {
			u.InvokeMode = body.InvokeMode
		}
		if body.Cors != nil {
			u.Cors = body.Cors
		}
		u.Modified = s.cfg.Clock.Now()
		return tx.Put(bucketConfigs, configKey(name, qualifier), u)
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	return s.output(u, true), nil
}

// DeleteFunctionUrlConfig: https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionUrlConfig.html
func (s *Service) DeleteFunctionUrlConfig(ctx context.Context, in *request) (*struct{}, *awswire.Error) {
	name, qualifier, _, e := s.target(ctx, in)
	if e != nil {
		return nil, e
	}
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		u, err := s.getURL(tx, name, qualifier)
		if err != nil {
			return err
		}
		if u == nil {
			return errNotFound("The resource you requested does not exist.")
		}
		if err := tx.Delete(bucketIDs, u.ID); err != nil {
			return err
		}
		return tx.Delete(bucketConfigs, configKey(name, qualifier))
	})
	return nil, txError(err)
}

// ListFunctionUrlConfigsOutput is a page of a function's URL configurations.
type ListFunctionUrlConfigsOutput struct {
	FunctionUrlConfigs []*FunctionURLConfig `json:"FunctionUrlConfigs"`
	NextMarker         string               `json:"NextMarker,omitempty"`
}

// ListFunctionUrlConfigs lists a function's URLs (unqualified first, then by alias), MaxItems
// (1-50) at a time. https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionUrlConfigs.html
func (s *Service) ListFunctionUrlConfigs(ctx context.Context, in *request) (*ListFunctionUrlConfigsOutput, *awswire.Error) {
	limit := maxListItems
	if in.MaxItems != "" {
		n, err := strconv.Atoi(in.MaxItems)
		if err != nil || n < 1 || n > maxListItems {
			return nil, errValidation("1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 50", in.MaxItems)
		}
		limit = n
	}
	out, e := s.cfg.Lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: in.FunctionName})
	if e != nil {
		return nil, e
	}
	name := out.Configuration.FunctionName
	var all []*URL
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(bucketConfigs, name+"/", func(_ string, data []byte) error {
			var u URL
			if err := json.Unmarshal(data, &u); err != nil {
				return err
			}
			all = append(all, &u)
			return nil
		})
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Qualifier < all[j].Qualifier })
	start := 0
	if in.Marker != "" {
		n, err := strconv.Atoi(in.Marker)
		if err != nil || n < 0 || n > len(all) {
			return nil, errInvalidParameter("Invalid marker: %s", in.Marker)
		}
		start = n
	}
	end := min(start+limit, len(all))
	res := &ListFunctionUrlConfigsOutput{FunctionUrlConfigs: []*FunctionURLConfig{}}
	for _, u := range all[start:end] {
		res.FunctionUrlConfigs = append(res.FunctionUrlConfigs, s.output(u, true))
	}
	if end < len(all) {
		res.NextMarker = strconv.Itoa(end)
	}
	return res, nil
}

// Lookup returns the configuration of a url id, or nil when there is none (the front door).
func (s *Service) Lookup(id string) (*URL, error) {
	var u *URL
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		key, err := tx.GetRaw(bucketIDs, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		name, qualifier, _ := strings.Cut(string(key), "/")
		u, err = s.getURL(tx, name, qualifier)
		return err
	})
	return u, err
}

// Region is the Region the URLs are in (their host names carry it).
func (s *Service) Region() string { return s.cfg.Region }

// DeleteForFunction removes every URL of a function (unqualified, or qualified when qualifier is
// not empty), as AWS does when the function or alias is deleted. Lambda's DeleteFunction (and a
// future DeleteAlias) should call it; until it is wired, a deleted function's URLs linger in the
// store (the front door then answers 403 for NONE URLs, 502 for AWS_IAM ones).
func (s *Service) DeleteForFunction(functionName, qualifier string) error {
	return s.cfg.Store.Update(func(tx *store.Tx) error {
		var doomed []*URL
		err := tx.ForEach(bucketConfigs, functionName+"/", func(_ string, data []byte) error {
			var u URL
			if err := json.Unmarshal(data, &u); err != nil {
				return err
			}
			if qualifier == "" || u.Qualifier == qualifier {
				doomed = append(doomed, &u)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, u := range doomed {
			if err := tx.Delete(bucketIDs, u.ID); err != nil {
				return err
			}
			if err := tx.Delete(bucketConfigs, configKey(u.FunctionName, u.Qualifier)); err != nil {
				return err
			}
		}
		return nil
	})
}
