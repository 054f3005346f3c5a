package awswire

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// WriteJSON answers status with v encoded as JSON (restJson bodies).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	writeJSON(w, "application/json", status, v)
}

// WriteAWSJSON answers status with v encoded for the awsJson 1.0/1.1 protocols.
func WriteAWSJSON(w http.ResponseWriter, version string, status int, v any) {
	writeJSON(w, "application/x-amz-json-"+version, status, v)
}

func writeJSON(w http.ResponseWriter, contentType string, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		body, _ = json.Marshal(map[string]string{"message": "encoding response: " + err.Error()})
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	w.Write(body)
}

// WriteRestJSONError writes e as restJson services (Lambda, API Gateway) do: the code in the
// X-Amzn-ErrorType header and the body {"Type": "User"|"Service", "<message key>": ...}.
func WriteRestJSONError(w http.ResponseWriter, e *Error) {
	body := map[string]any{"Type": "User"}
	if e.Server {
		body["Type"] = "Service"
	}
	for k, v := range e.Fields {
		body[k] = v
	}
	body[e.messageKey()] = e.Message
	e.writeHeaders(w)
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	WriteJSON(w, e.Status, body)
}

// WriteJSONError writes e as awsJson 1.0/1.1 services do: {"__type": "<namespace>#<code>", "message": ...}.
// namespace may be empty, in which case the bare code is sent.
func WriteJSONError(w http.ResponseWriter, version, namespace string, e *Error) {
	typ := e.Code
	if namespace != "" {
		typ = namespace + "#" + e.Code
	}
	body := map[string]any{"__type": typ}
	for k, v := range e.Fields {
		body[k] = v
	}
	body[e.messageKey()] = e.Message
	e.writeHeaders(w)
	if e.QueryCode != "" {
		fault := "Sender"
		if e.Server {
			fault = "Receiver"
		}
		w.Header().Set("x-amzn-query-error", e.QueryCode+";"+fault)
	}
	WriteAWSJSON(w, version, e.Status, body)
}

// ErrBodyTooLarge is returned by ReadBody when the body exceeds its limit.
var ErrBodyTooLarge = errors.New("request body too large")

// ReadBody reads at most limit bytes of r's body; a longer body gives ErrBodyTooLarge.
func ReadBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, ErrBodyTooLarge
	}
	return data, nil
}

// DecodeJSON decodes a JSON request body into v; an empty body leaves v as it is.
func DecodeJSON(data []byte, v any) error {
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	return json.Unmarshal(data, v)
}
