package functionurl

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Response is the LambdaFunctionURLResponse a function may answer.
type Response struct {
	StatusCode      json.Number       `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
	Cookies         []string          `json:"cookies"`
}

type parsed struct {
	status  int
	headers http.Header
	body    []byte
}

// parseResponse reads a function's answer as Lambda does for URLs: an object with statusCode is a
// structured response; any other valid JSON is a 200 application/json body as it is.
func parseResponse(payload []byte) (*parsed, error) {
	trimmed := bytes.TrimSpace(payload)
	if !json.Valid(trimmed) {
		return nil, errors.New("the response is not valid JSON")
	}
	var probe map[string]json.RawMessage
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &probe) != nil || probe["statusCode"] == nil {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		return &parsed{status: http.StatusOK, headers: h, body: trimmed}, nil
	}
	var resp Response
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		return nil, fmt.Errorf("the response does not have the function URL shape: %w", err)
	}
	status, err := resp.StatusCode.Int64()
	if err != nil || status < 100 || status > 599 {
		return nil, errors.New("statusCode is not a valid integer")
	}
	out := &parsed{status: int(status), headers: http.Header{}}
	for k, v := range resp.Headers {
		out.headers.Set(k, v)
	}
	for _, c := range resp.Cookies {
		out.headers.Add("Set-Cookie", c)
	}
	if resp.IsBase64Encoded {
		if out.body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			return nil, fmt.Errorf("the body is not valid base64: %w", err)
		}
	} else {
		out.body = []byte(resp.Body)
	}
	return out, nil
}

// writeMessage answers an error the way function URLs do: {"Message":"..."} with the error type.
func writeMessage(w http.ResponseWriter, status int, errorType, message string) {
	w.Header().Set("Content-Type", "application/json")
	if errorType != "" {
		w.Header().Set("X-Amzn-ErrorType", errorType)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"Message": message})
}

// writeBadGateway answers a function error or a malformed response.
func writeBadGateway(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusBadGateway)
	w.Write([]byte("Internal Server Error"))
}
