package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Limits of Invoke's inputs (API_Invoke).
const (
	// clientContextMaxBytes is the limit of X-Amz-Client-Context, base64 included.
	clientContextMaxBytes = 3583
	// invokeAsyncMaxRequest is the payload limit of the deprecated InvokeAsync: still 256 KB.
	invokeAsyncMaxRequest = 262144
	// drainLimit bounds how much of an oversized body is read (and dropped) so the client, still
	// sending, gets the 413 rather than a reset connection.
	drainLimit = 64 << 20
)

// InvokeInput is Invoke's request: the payload is the body, the rest path, query and headers.
type InvokeInput struct {
	FunctionName   string
	Qualifier      string
	InvocationType string // X-Amz-Invocation-Type
	LogType        string // X-Amz-Log-Type
	ClientContext  string // X-Amz-Client-Context: base64 of a JSON object
	TraceID        string // X-Amzn-Trace-Id
	Payload        []byte
}

// InvokeOutput is Invoke's answer: the payload is the body, the rest status and headers.
type InvokeOutput struct {
	StatusCode      int
	FunctionError   string // X-Amz-Function-Error
	LogResult       string // X-Amz-Log-Result
	ExecutedVersion string // X-Amz-Executed-Version
	Payload         []byte
}

func (s *Service) serveInvoke(w http.ResponseWriter, r *http.Request) {
	in := &InvokeInput{
		FunctionName:   r.PathValue("FunctionName"),
		Qualifier:      r.URL.Query().Get("Qualifier"),
		InvocationType: r.Header.Get("X-Amz-Invocation-Type"),
		LogType:        r.Header.Get("X-Amz-Log-Type"),
		ClientContext:  r.Header.Get("X-Amz-Client-Context"),
		TraceID:        r.Header.Get("X-Amzn-Trace-Id"),
	}
	body, e := readPayload(r, invoke.MaxSyncRequest, "InvokeFunction")
	if e != nil {
		awswire.WriteRestJSONError(w, e)
		return
	}
	in.Payload = body
	out, e := s.Invoke(r.Context(), in)
	if e != nil {
		if e.Status >= 500 {
			s.logger.Warn("invocation failed", "function", in.FunctionName, "code", e.Code, "error", e.Message)
		}
		awswire.WriteRestJSONError(w, e)
		return
	}
	if out.ExecutedVersion != "" {
		w.Header().Set("X-Amz-Executed-Version", out.ExecutedVersion)
	}
	if out.FunctionError != "" {
		w.Header().Set("X-Amz-Function-Error", out.FunctionError)
	}
	if out.LogResult != "" {
		w.Header().Set("X-Amz-Log-Result", out.LogResult)
	}
	contentType := "application/json"
	if out.StatusCode == http.StatusNoContent {
		contentType = ""
	}
	writeRaw(w, out.StatusCode, contentType, out.Payload)
}

// readPayload reads a body of at most limit bytes, answering a larger one as AWS's front end does.
func readPayload(r *http.Request, limit int, operation string) ([]byte, *awswire.Error) {
	if r.ContentLength > int64(limit) {
		io.Copy(io.Discard, io.LimitReader(r.Body, drainLimit))
		return nil, tooLarge(limit, operation)
	}
	body, err := awswire.ReadBody(r, int64(limit))
	if errors.Is(err, awswire.ErrBodyTooLarge) {
		io.Copy(io.Discard, io.LimitReader(r.Body, drainLimit))
		return nil, tooLarge(limit, operation)
	}
	if err != nil {
		return nil, internalError(err)
	}
	return body, nil
}

// Invoke runs a function synchronously (RequestResponse), checks that it could (DryRun), or
// accepts an event for asynchronous invocation (Event).
//
// Event invocations are stored, durably, in invoke.PendingEventsBucket before the 202 is sent;
// executing them (retries, event age, destinations) is the async queue's work, which reads that
// bucket. Until it runs them they wait there: accepted, never lost and never run twice.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
func (s *Service) Invoke(ctx context.Context, in *InvokeInput) (*InvokeOutput, *awswire.Error) {
	var v validation
	if in.InvocationType == "" {
		in.InvocationType = invoke.TypeRequestResponse
	}
	if !oneOf(in.InvocationType, invoke.TypeEvent, invoke.TypeRequestResponse, invoke.TypeDryRun) {
		v.enum("invocationType", in.InvocationType, invoke.TypeEvent, invoke.TypeRequestResponse, invoke.TypeDryRun)
	}
	if in.LogType == "" {
		in.LogType = invoke.LogNone
	}
	if !oneOf(in.LogType, invoke.LogNone, invoke.LogTail) {
		v.enum("logType", in.LogType, invoke.LogNone, invoke.LogTail)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	if in.InvocationType == invoke.TypeEvent && len(in.Payload) > invoke.MaxAsyncRequest {
		return nil, awswire.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
			"%d byte payload is too large for the Event invocation type (limit %d bytes)", len(in.Payload), invoke.MaxAsyncRequest)
	}
	clientContext, e := decodeClientContext(in.ClientContext)
	if e != nil {
		return nil, e
	}
	fn, e := s.ResolveFunction(in.FunctionName, in.Qualifier)
	if e != nil {
		return nil, e
	}
	payload, e := checkPayload(in.Payload)
	if e != nil {
		return nil, e
	}
	requestID := awswire.RequestID(ctx)

	if in.InvocationType == invoke.TypeEvent {
		if e := s.enqueue(fn, requestID, payload, in.TraceID); e != nil {
			return nil, e
		}
		return &InvokeOutput{StatusCode: http.StatusAccepted}, nil
	}
	// Like AWS, the invocation runs to its end even if the caller hangs up.
	res, err := s.invoker.Invoke(context.WithoutCancel(ctx), fn, invoke.Request{
		RequestID:      requestID,
		Payload:        payload,
		InvocationType: in.InvocationType,
		LogType:        in.LogType,
		ClientContext:  clientContext,
		TraceID:        in.TraceID,
		Trigger:        invoke.TriggerAPI,
	})
	if err != nil {
		var ie *invoke.Error
		if errors.As(err, &ie) {
			return nil, fromInvoke(ie)
		}
		return nil, internalError(err)
	}
	return &InvokeOutput{
		StatusCode:      res.StatusCode,
		FunctionError:   res.FunctionError,
		LogResult:       res.LogResult,
		ExecutedVersion: res.ExecutedVersion,
		Payload:         res.Payload,
	}, nil
}

// decodeClientContext reads X-Amz-Client-Context: base64 of a JSON object, at most 3583 bytes.
func decodeClientContext(header string) (string, *awswire.Error) {
	if header == "" {
		return "", nil
	}
	if len(header) > clientContextMaxBytes {
		return "", invalidParameter("Client context must be smaller than %d bytes.", clientContextMaxBytes+1)
	}
	raw, err := base64.StdEncoding.DecodeString(header)
	if err != nil || !json.Valid(raw) {
		return "", invalidParameter("Client context must be a valid Base64-encoded JSON object.")
	}
	return string(raw), nil
}

// checkPayload checks that the payload is JSON; an empty body is the empty event {}.
func checkPayload(payload []byte) ([]byte, *awswire.Error) {
	if len(bytes.TrimSpace(payload)) == 0 {
		return []byte("{}"), nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(payload))
	err := dec.Decode(&v)
	if err == nil {
		if _, end := dec.Token(); end != io.EOF {
			err = errors.New("unexpected data after the JSON value")
		}
	}
	if err != nil {
		return nil, lambdaError(http.StatusBadRequest, "InvalidRequestContentException",
			"Could not parse request body into json: Could not parse payload into json: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return payload, nil
}

// ResolveFunction resolves a function name or ARN and a qualifier to a version that can be
// invoked now: it exists and is Active. Later invokers (the async queue, event source mappings,
// function URLs) resolve through it too.
func (s *Service) ResolveFunction(name, qualifier string) (invoke.Function, *awswire.Error) {
	ref, e := parseFunctionName(name, true)
	if e != nil {
		return invoke.Function{}, e
	}
	if ref, e = ref.withQualifier(qualifier); e != nil {
		return invoke.Function{}, e
	}
	var fn invoke.Function
	e = s.view(func(tx *store.Tx) error {
		t, err := s.resolve(tx, ref)
		if err != nil {
			return err
		}
		c := t.config()
		if c.State != stateActive {
			return abort(notInState(c.State))
		}
		digest := t.fn.Digest
		if t.ver != nil {
			digest = t.ver.Digest
		}
		fn = invoke.Function{
			Spec:       s.spec(c, digest),
			InvokedARN: s.qualifiedARN(ref.Name, ref.Qualifier),
			Qualifier:  ref.Qualifier,
		}
		if n := t.fn.ReservedConcurrency; n != nil {
			reserved := *n
			fn.ReservedConcurrency = &reserved
		}
		return nil
	})
	return fn, e
}

// spec is what an execution environment needs to run a version. The revision is the digest of
// code and configuration, so environments are reused until either changes (a new RevisionId from
// a permission change does not retire them).
func (s *Service) spec(c *FunctionConfiguration, revision string) runtime.FunctionSpec {
	var env map[string]string
	if c.Environment != nil {
		env = make(map[string]string, len(c.Environment.Variables))
		for k, v := range c.Environment.Variables {
			env[k] = v
		}
	}
	sha := c.CodeSHA256
	return runtime.FunctionSpec{
		FunctionName: c.FunctionName,
		Version:      c.Version,
		FunctionARN:  s.functionARN(c.FunctionName),
		Runtime:      c.Runtime,
		Handler:      c.Handler,
		MemoryMB:     int(c.MemorySize),
		Timeout:      time.Duration(c.Timeout) * time.Second,
		Environment:  env,
		CodeSHA256:   sha,
		Code:         func() ([]byte, error) { return s.loadCode(sha) },
		RevisionID:   revision,
	}
}

// enqueue stores an accepted Event invocation for the async queue.
func (s *Service) enqueue(fn invoke.Function, requestID string, payload []byte, traceID string) *awswire.Error {
	return s.enqueueFrom(fn, requestID, payload, traceID, invoke.TriggerAPI)
}

// enqueueFrom stores an Event invocation caused by trigger (the API, or a delivering service).
func (s *Service) enqueueFrom(fn invoke.Function, requestID string, payload []byte, traceID, trigger string) *awswire.Error {
	ev := invoke.Event{
		RequestID:    requestID,
		FunctionName: fn.Spec.FunctionName,
		FunctionARN:  fn.InvokedARN,
		Qualifier:    fn.Qualifier,
		Payload:      payload,
		Trigger:      trigger,
		TraceID:      traceID,
		Received:     s.clock.Now(),
	}
	e := s.update(func(tx *store.Tx) error {
		seq, err := tx.NextSequence(invoke.PendingEventsBucket)
		if err != nil {
			return err
		}
		return tx.Put(invoke.PendingEventsBucket, store.SeqKey(seq), ev)
	})
	if e == nil && s.onEnqueue != nil {
		s.onEnqueue()
	}
	return e
}

// InvokeAsyncOutput is the answer of the deprecated InvokeAsync.
type InvokeAsyncOutput struct {
	Status int `json:"Status"`
}

// serveInvokeAsync serves the deprecated InvokeAsync: an Event invocation of at most 256 KB,
// stored as Invoke stores one.
// https://docs.aws.amazon.com/lambda/latest/api/API_InvokeAsync.html
func (s *Service) serveInvokeAsync(w http.ResponseWriter, r *http.Request) {
	body, e := readPayload(r, invokeAsyncMaxRequest, "InvokeAsync")
	if e == nil {
		var payload []byte
		var fn invoke.Function
		if fn, e = s.ResolveFunction(r.PathValue("FunctionName"), ""); e == nil {
			if payload, e = checkPayload(body); e == nil {
				e = s.enqueue(fn, awswire.RequestID(r.Context()), payload, r.Header.Get("X-Amzn-Trace-Id"))
			}
		}
	}
	if e != nil {
		awswire.WriteRestJSONError(w, e)
		return
	}
	awswire.WriteJSON(w, http.StatusAccepted, InvokeAsyncOutput{Status: http.StatusAccepted})
}
